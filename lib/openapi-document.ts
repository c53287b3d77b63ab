/**
 * An OpenAPI 3.0 or 3.1 document as JSON, the one shape the package passes documents around in: the
 * documents it builds, the snapshots it reads back and the documents the classifier compares (which
 * may come from elsewhere, `$ref`s left in place), so nothing in it is taken for granted.
 */
export interface OpenApiDocument {
  readonly info?: Readonly<Record<string, unknown>>
  readonly paths?: Readonly<Record<string, unknown>>
  readonly [key: string]: unknown
}
