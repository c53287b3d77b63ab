import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus'
import { MeterProvider } from '@opentelemetry/sdk-metrics'
import t from 'tap'
import { build, http } from './helpers.js'

// The PromQL of docs/metrics.md (and of the README's section) names metrics and labels as OpenTelemetry's Prometheus exporter
// writes them: an application with the exporter serves real requests, its /metrics page is
// scraped over HTTP, and every name the documentation's queries and alert rules use must be on it.
// Where promtool (Prometheus' own tool) is installed, the rules are also checked and unit-tested
// on series with the scraped labels.

const docs = await readFile(new URL('../docs/metrics.md', import.meta.url), 'utf8')
const alertRules = /<!-- alert-rules[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1] ?? ''
const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
const queries = [...(docs + readme).matchAll(/```promql\n([\s\S]*?)```/g)].map(m => m[1] as string)
const ruleExpressions = [...alertRules.matchAll(/expr: (?:\|\n((?: {10}.*\n)+)|(.*)\n)/g)].map(m => m[1] ?? m[2] as string)

interface Sample { name: string, labels: Record<string, string> }

/** The samples of a Prometheus text exposition. */
function parseExposition (text: string): Sample[] {
  return text.split('\n').filter(line => line !== '' && !line.startsWith('#')).map(line => {
    const [, name, body = ''] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line) as RegExpExecArray
    return { name: name as string, labels: Object.fromEntries([...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(m => [m[1], m[2]])) }
  })
}

/** Metric names, label names and label matchers a PromQL expression uses. */
function namesIn (promql: string): { metrics: string[], labels: string[], matchers: Array<[string, string]> } {
  const metrics = [...promql.matchAll(/([a-zA-Z_:][\w:]*)\s*(?=\{|\[)/g)].map(m => m[1] as string)
  const selectors = [...promql.matchAll(/\{([^}]*)\}/g)].map(m => m[1] as string).filter(s => !s.includes('$'))
  const matchers = selectors.flatMap(s => [...s.matchAll(/(\w+)\s*(=~|!=|!~|=)\s*"([^"]*)"/g)])
  const grouped = [...promql.matchAll(/\b(?:by|on|ignoring|without)\s*\(([^)]*)\)/g)].flatMap(m => (m[1] as string).split(',').map(s => s.trim()).filter(Boolean))
  return {
    metrics: [...new Set(metrics)],
    labels: [...new Set([...matchers.map(m => m[1] as string), ...grouped])],
    matchers: matchers.filter(m => m[2] === '=').map(m => [m[1] as string, m[3] as string])
  }
}

/** An application with the Prometheus exporter, after a deprecated, an active and a sunset request: its /metrics page. */
async function scrape (): Promise<Sample[]> {
  const exporter = new PrometheusExporter({ preventServerStart: true })
  const meterProvider = new MeterProvider({ readers: [exporter] })
  const app = await build({ metrics: { meterProvider, duration: true } })
  app.get('/moves/:id', { constraints: { apiVersion: '2022-05-18' } }, async () => 'move')
  app.get('/metrics', (request, reply) => {
    reply.hijack()
    exporter.getMetricsRequestHandler(request.raw, reply.raw)
  })
  try {
    await http(app, '/moves/1', { 'api-version': '2023-06-01' })
    await http(app, '/moves/1', { 'api-version': '2024-03-01' })
    await http(app, '/moves/1', { 'api-version': '2021-06-01' })
    for (;;) {
      const samples = parseExposition((await http(app, '/metrics')).body)
      if (samples.filter(s => s.name === 'api_version_requests_total').length === 3) return samples
    }
  } finally {
    await app.close()
    await meterProvider.shutdown()
  }
}

const samples = await scrape()

t.test('the documentation has alert rules and queries to check', async t => {
  t.ok(ruleExpressions.length >= 2, 'two alert rules')
  t.ok(queries.length >= 3, 'dashboard queries, the README\'s among them')
})

t.test('every metric, label and matched value of the documented PromQL is on the exporter\'s page', async t => {
  for (const promql of [...queries, ...ruleExpressions]) {
    const { metrics, labels, matchers } = namesIn(promql)
    const series = samples.filter(s => metrics.includes(s.name))
    for (const metric of metrics) t.ok(samples.some(s => s.name === metric), `metric ${metric}`)
    for (const label of labels) t.ok(series.some(s => label in s.labels), `label ${label}`)
    for (const [label, value] of matchers) t.ok(series.some(s => s.labels[label] === value), `${label}="${value}" is a value the plugin records`)
  }
  // The annotations name labels that the rules' expressions keep.
  for (const [, label] of alertRules.matchAll(/\$labels\.(\w+)/g)) {
    t.ok(ruleExpressions.every(e => namesIn(e).labels.includes(label as string)), `annotation label ${label as string}`)
  }
})

t.test('the metric names table says what the exporter writes', async t => {
  const names = new Set(samples.map(s => s.name))
  t.ok(names.has('api_version_requests_total'))
  t.ok(names.has('api_version_request_duration_count') && names.has('api_version_request_duration_bucket'))
  t.match(docs, /\| `api_version\.requests` \| counter[^|]*\| `\{request\}` \| `api_version_requests_total` \|/)
  t.match(docs, /\| `api_version\.request\.duration` \| histogram[^|]*\| `s` \| `api_version_request_duration` \(`_bucket`, `_sum`, `_count`\)/)
})

const promtool = await promisify(execFile)('promtool', ['--version']).then(() => true, () => false)

t.test('promtool checks the rules and fires them on series labelled as the exporter labels them', { skip: promtool ? false : 'promtool is not installed (Debian package prometheus)' }, async t => {
  const dir = await mkdtemp(join(tmpdir(), 'api-version-rules-'))
  t.teardown(() => rm(dir, { recursive: true }))
  await writeFile(join(dir, 'rules.yml'), alertRules)
  const checked = await promisify(execFile)('promtool', ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' })
  t.match(checked.stdout, /SUCCESS: 2 rules found/)

  // Per minute: 10 requests on the deprecated version, 89 on the active one, 1 refused at its sunset.
  const perMinute = (labels: Record<string, string>): number =>
    labels.api_version_status === 'deprecated' ? 10 : labels.api_version_status === 'sunset' ? 1 : 89
  const counters = samples.filter(s => s.name === 'api_version_requests_total')
  const selector = (s: Sample): string => `api_version_requests_total{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`
  const deprecated = counters.find(s => s.labels.api_version_status === 'deprecated') as Sample
  const sunset = counters.find(s => s.labels.api_version_status === 'sunset') as Sample
  const unitTest = {
    rule_files: ['rules.yml'],
    evaluation_interval: '1m',
    tests: [{
      interval: '1m',
      input_series: counters.map(s => ({ series: selector(s), values: `0+${perMinute(s.labels)}x1600` })),
      alert_rule_test: [
        {
          eval_time: '26h',
          alertname: 'DeprecatedApiVersionHighUsage',
          exp_alerts: [{
            exp_labels: { severity: 'warning', api_version_name: deprecated.labels.api_version_name },
            exp_annotations: {
              summary: `Deprecated API version ${deprecated.labels.api_version_name as string} serves 10% of requests`,
              description: `Clients still call API version ${deprecated.labels.api_version_name as string}, which is deprecated: ask them to move before its sunset.`
            }
          }]
        },
        {
          eval_time: '2h',
          alertname: 'SunsetApiVersionCalled',
          exp_alerts: [{
            exp_labels: { severity: 'info', api_version_name: sunset.labels.api_version_name },
            exp_annotations: { summary: `Clients still call API version ${sunset.labels.api_version_name as string} after its sunset (answered 410)` }
          }]
        },
        // Before a day has passed, the deprecated version's share is only pending.
        { eval_time: '12h', alertname: 'DeprecatedApiVersionHighUsage', exp_alerts: [] }
      ]
    }]
  }
  await writeFile(join(dir, 'rules.test.yml'), JSON.stringify(unitTest))
  const tested = await promisify(execFile)('promtool', ['test', 'rules', join(dir, 'rules.test.yml')], { encoding: 'utf8' }).catch((error: { stdout: string, stderr: string }) => error)
  t.match(tested.stdout + tested.stderr, /SUCCESS/, tested.stdout + tested.stderr)
})
