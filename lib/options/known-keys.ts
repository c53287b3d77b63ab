import { configError } from '../errors.js'

/**
 * The one check of unknown keys in an option object: a misspelt key would otherwise be ignored
 * without a word. `message` names the first unknown key and says what to use instead.
 */
export function rejectUnknownKeys (value: object, known: readonly string[], message: (key: string) => string): void {
  const unknown = Object.keys(value).find(key => !known.includes(key))
  if (unknown !== undefined) throw configError(message(unknown))
}
