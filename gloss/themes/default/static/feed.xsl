<?xml version="1.0" encoding="utf-8"?>
<!-- The site's Atom feed (feed.xml) as a page for a reader who opens it in a
     browser: what a feed is for, then each transcript with its date, speakers,
     summary, recording and downloads. The feed names it in its first line,
     <?xml-stylesheet type="text/xsl" href="static/feed.xsl"?>; feed readers
     ignore it. Browsers that no longer run XSLT use static/feed.css instead. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:a="http://www.w3.org/2005/Atom" exclude-result-prefixes="a">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="months"
                select="'January  February March    April    May      June     July     August   SeptemberOctober  November December '"/>

  <xsl:template match="/a:feed">
    <html>
      <xsl:if test="@xml:lang != ''">
        <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
      </xsl:if>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <title>Feed · <xsl:value-of select="a:title"/></title>
        <style>
          :root {
            --bg: #fbfaf7; --fg: #1f2328; --muted: #5c636e; --rule: #e3e0d8;
            --card: #ffffff; --link: #1f5fbf; --chip: #f1eee6;
            --sans: system-ui, -apple-system, "Segoe UI", sans-serif;
            color-scheme: light dark;
          }
          @media (prefers-color-scheme: dark) {
            :root {
              --bg: #16181c; --fg: #e6e4df; --muted: #a3a8b0; --rule: #2e3238;
              --card: #1d2025; --link: #8ab4f8; --chip: #23262c;
            }
          }
          * { box-sizing: border-box; }
          body {
            margin: 0; background: var(--bg); color: var(--fg);
            font: 1.0625rem/1.6 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
          }
          header, main { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
          header { padding-top: 2rem; padding-bottom: 1.25rem; }
          a { color: var(--link); text-underline-offset: 0.15em; }
          h1, h2, .meta, .about, .files, .kind { font-family: var(--sans); }
          .kind {
            margin: 0; color: var(--muted); font-size: 0.8rem;
            text-transform: uppercase; letter-spacing: 0.08em;
          }
          h1 { font-size: clamp(1.6rem, 4vw, 2.2rem); line-height: 1.2; margin: 0.3rem 0 0.5rem; }
          h1 a { color: inherit; text-decoration: none; }
          h1 a:hover { text-decoration: underline; }
          .lede { margin: 0 0 1rem; }
          .about {
            margin: 0; padding: 0.75rem 1rem; background: var(--chip); border-radius: 6px;
            font-size: 0.92rem;
          }
          .about code { display: block; margin-top: 0.2rem; font-size: 0.8rem; overflow-wrap: anywhere; }
          article { padding: 1.5rem 0; border-top: 1px solid var(--rule); }
          h2 { font-size: 1.25rem; line-height: 1.3; margin: 0 0 0.35rem; }
          .meta { color: var(--muted); font-size: 0.88rem; margin: 0 0 0.6rem; }
          .summary { margin: 0 0 0.75rem; }
          .files {
            list-style: none; padding: 0; margin: 0;
            display: flex; flex-wrap: wrap; gap: 0.4rem 1.1rem; font-size: 0.88rem;
          }
          .files .ext { color: var(--muted); }
        </style>
      </head>
      <body>
        <header>
          <p class="kind">Web feed</p>
          <h1><a href="{a:link[@rel='alternate']/@href}"><xsl:value-of select="a:title"/></a></h1>
          <xsl:if test="a:subtitle">
            <p class="lede"><xsl:value-of select="a:subtitle"/></p>
          </xsl:if>
          <p class="about">This is a web feed of the newest transcripts. To hear of new ones,
            paste its address into a feed reader:
            <code><xsl:value-of select="a:link[@rel='self']/@href"/></code></p>
        </header>
        <main>
          <xsl:apply-templates select="a:entry"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="a:entry">
    <article>
      <h2><a href="{a:link[@rel='alternate']/@href}"><xsl:value-of select="a:title"/></a></h2>
      <p class="meta">
        <xsl:call-template name="day">
          <xsl:with-param name="when">
            <xsl:choose>
              <xsl:when test="a:published"><xsl:value-of select="a:published"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="a:updated"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:for-each select="a:author">
          <xsl:choose>
            <xsl:when test="position() = 1"> · </xsl:when>
            <xsl:otherwise>, </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="a:name"/>
        </xsl:for-each>
      </p>
      <p class="summary"><xsl:value-of select="a:summary"/></p>
      <xsl:if test="a:link[@rel='enclosure' or @rel='related']">
        <ul class="files" aria-label="Recording and downloads">
          <xsl:for-each select="a:link[@rel='enclosure' or @rel='related']">
            <li>
              <a href="{@href}">
                <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
                <xsl:value-of select="@title"/>
              </a>
              <xsl:text> </xsl:text>
              <span class="ext">
                <xsl:call-template name="ext"><xsl:with-param name="name" select="@href"/></xsl:call-template>
              </span>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:if>
    </article>
  </xsl:template>

  <!-- 2025-11-28T00:00:00Z -> 28 November 2025, as the site's pages write dates. -->
  <xsl:template name="day">
    <xsl:param name="when"/>
    <xsl:variable name="month" select="number(substring($when, 6, 2))"/>
    <time datetime="{substring($when, 1, 10)}">
      <xsl:value-of select="concat(number(substring($when, 9, 2)), ' ',
                            normalize-space(substring($months, ($month - 1) * 9 + 1, 9)), ' ',
                            substring($when, 1, 4))"/>
    </time>
  </xsl:template>

  <!-- The file's extension, as the page's downloads show it: .../ep12.vtt -> .vtt -->
  <xsl:template name="ext">
    <xsl:param name="name"/>
    <xsl:choose>
      <xsl:when test="contains($name, '/')">
        <xsl:call-template name="ext">
          <xsl:with-param name="name" select="substring-after($name, '/')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="contains($name, '.')">
        <xsl:call-template name="suffix">
          <xsl:with-param name="rest" select="substring-after($name, '.')"/>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="suffix">
    <xsl:param name="rest"/>
    <xsl:choose>
      <xsl:when test="contains($rest, '.')">
        <xsl:call-template name="suffix">
          <xsl:with-param name="rest" select="substring-after($rest, '.')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>.<xsl:value-of select="substring-before(concat($rest, '?'), '?')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
