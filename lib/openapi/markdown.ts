import MarkdownIt from 'markdown-it'

/**
 * Markdown of the documentation page: a version's `changes` and the descriptions of the API and its
 * operations (OpenAPI descriptions are CommonMark). The text is the application's, but it may quote
 * what it describes (`<script>` in a change about escaping), so it is rendered as text, never as
 * markup: HTML in the source comes out escaped, links go only to web, mail or relative addresses,
 * and nothing is loaded (no images). Headings would compete with the page's own, so they stay text.
 */

// Relative addresses (no scheme: `/orders`, `#v2024-01-01`, `guide.html`) or one of these schemes.
const SAFE_LINK = /^(?:https?:|mailto:|[^:/?#]*(?:[/?#]|$))/i

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false })
  .disable(['image', 'heading', 'lheading'])
markdown.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim())

/** One line of Markdown (a change of the changelog) as inline HTML: code, emphasis, links. */
export function inlineMarkdown (source: string): string {
  return markdown.renderInline(source)
}

/** A description as HTML blocks: paragraphs, lists, code blocks. */
export function blockMarkdown (source: string): string {
  return markdown.render(source).trimEnd()
}
