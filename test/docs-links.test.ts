import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

// The documentation is split over README.md, docs/ and examples/README.md: every relative link
// between them must reach a file, and every #anchor a heading of that file, as GitHub names it.

const root = fileURLToPath(new URL('..', import.meta.url))
const pages = ['README.md', 'examples/README.md', ...readdirSync(join(root, 'docs')).filter(name => name.endsWith('.md')).map(name => `docs/${name}`)]

/** The text outside fenced code blocks, where Markdown headings and links are read. */
function prose (text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '')
}

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces as hyphens. */
function slug (heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replaceAll(' ', '-')
}

function anchorsOf (text: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const [, heading] of prose(text).matchAll(/^#{1,6} +(.*?)\s*$/gm)) {
    const base = slug(heading as string)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

/** Targets of the Markdown links and images of a page that stay in the repository. */
function relativeLinks (text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map(match => match[1] as string).filter(target => !/^[a-z]+:/.test(target))
}

t.test('the slug of a heading is the anchor GitHub gives it', async t => {
  t.equal(slug('Primary versions in the path: `/v1` and `/v2`'), 'primary-versions-in-the-path-v1-and-v2')
  t.equal(slug('3. Resolution — one table'), '3-resolution--one-table')
  t.same([...anchorsOf('# A\n## A\n```\n# B\n```\n')], ['a', 'a-1'], 'repeated headings are numbered; code blocks hold none')
})

t.test('every relative link of the documentation reaches its file and heading', async t => {
  const broken: string[] = []
  let checked = 0
  for (const page of pages) {
    for (const target of relativeLinks(readFileSync(join(root, page), 'utf8'))) {
      checked++
      const [path = '', anchor] = target.split('#')
      const file = path === '' ? page : normalize(join(dirname(page), path))
      if (!existsSync(join(root, file))) {
        broken.push(`${page}: ${target} (no file ${file})`)
      } else if (anchor !== undefined && !anchorsOf(readFileSync(join(root, file), 'utf8')).has(anchor)) {
        broken.push(`${page}: ${target} (no heading with anchor #${anchor} in ${file})`)
      }
    }
  }
  t.ok(checked > 0, `${checked} links in ${pages.join(', ')}`)
  t.same(broken, [], 'broken links')
})

t.test('the README links to every page of docs/', async t => {
  const linked = new Set(relativeLinks(readFileSync(join(root, 'README.md'), 'utf8')).map(target => target.split('#')[0]))
  t.same(pages.filter(page => page.startsWith('docs/') && !linked.has(page)), [], 'pages of docs/ the README does not link to')
})
