import neostandard from 'neostandard'

export default neostandard({
  ts: true,
  ignores: ['types/moves-api/**', 'dist/**', 'coverage/**', '.tap/**', 'node_modules/**']
})
