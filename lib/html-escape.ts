/** Text made safe to place in HTML or SVG, in element content and in quoted attributes alike. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, c => ESCAPES[c] as string)
}
