import Fastify from 'fastify'
import { Type } from '@sinclair/typebox'
import { expectAssignable, expectError, expectType } from 'tsd'
import dateVersioning, {
  endpoint,
  requestMigration,
  responseMigration,
  schema,
  versionChange,
  VersionChange,
  ApiVersionMigrationFailedError,
  ApiVersionError,
  type EndpointInstruction,
  type MigratingRequest,
  type MigratingResponse,
  type RequestMigration,
  type ResponseMigration,
  type SchemaInstruction,
  type VersionDeclaration
} from 'fastify-date-versioning'

const Person = Type.Object({ firstName: Type.String(), lastName: Type.String(), age: Type.Optional(Type.Integer()) })

// Schema migrations: the schema's properties are typed (optional: the other shape may lack them),
// any other property is unknown.
responseMigration(Person, person => {
  expectType<string | undefined>(person.firstName)
  expectType<number | undefined>(person.age)
  expectType<unknown>(person.name)
  person.name = `${person.firstName ?? ''} ${person.lastName ?? ''}`
})
requestMigration(Person, person => {
  person.firstName = String(person.name)
  expectError(person.firstName = 42)
})
// A $id names a schema whose type the function cannot know.
requestMigration('Person', value => {
  expectType<unknown>(value.anything)
})

// Route migrations: the whole request or response.
requestMigration('POST /moves', request => {
  expectType<MigratingRequest>(request)
  request.body.person = {}
  request.query.state = 'booked'
  expectType<string | string[] | undefined>(request.headers['x-old'])
})
responseMigration('GET /moves', response => {
  expectType<MigratingResponse>(response)
  expectType<number>(response.statusCode)
  response.body = response.body.data
}, { errors: true })
expectError(responseMigration('GET /moves', () => {}, { errors: 'yes' }))
expectError(requestMigration(Person))

expectType<RequestMigration>(requestMigration(Person, () => {}))
expectType<ResponseMigration>(responseMigration(Person, () => {}))

// Schema instructions: the head's property names are suggested, any name is accepted (a removed one).
expectType<SchemaInstruction>(schema(Person).property('firstName').didNotExist())
expectType<SchemaInstruction>(schema(Person).property('name').existedAs(Type.String()))
expectType<SchemaInstruction>(schema(Person).property('firstName').hadName('givenName'))
expectType<SchemaInstruction>(schema(Person).property('age').wasRequired())
expectType<SchemaInstruction>(schema(Person).property('age').wasOptional())
expectType<SchemaInstruction>(schema(Person).property('firstName').had({ maxLength: 10 }))
expectType<SchemaInstruction>(schema(Person).had({ description: 'A person' }))
expectType<SchemaInstruction>(schema(Person).was(current => current.properties.data))
expectType<SchemaInstruction>(schema('Person').property('x').didNotExist())
expectError(schema(Person).property('firstName').hadName())
expectType<EndpointInstruction>(endpoint('POST', '/moves/:id/cancel').didNotExist())
expectType<EndpointInstruction>(endpoint(['PUT', 'PATCH'], '/moves/:id').existed())

// The change and the timeline.
const change = versionChange({
  description: 'person.name is split into firstName and lastName',
  schemas: [schema(Person).property('firstName').didNotExist()],
  endpoints: [endpoint('GET', '/people').didNotExist()],
  requests: [requestMigration(Person, () => {})],
  responses: [responseMigration(Person, () => {})]
})
expectType<VersionChange>(change)
expectType<string>(change.description)
expectType<string | undefined>(change.version)
expectError(versionChange({}))
expectError(versionChange({ description: 'x', schemas: ['not an instruction'] }))
expectAssignable<VersionDeclaration>({ version: '2024-01-01', changes: ['A sentence', change] })
expectError<VersionDeclaration>({ version: '2024-01-01', changes: [42] })

const app = Fastify()
app.register(dateVersioning, { versions: [{ version: '2024-01-01', changes: [change] }] })
app.get('/people', async request => {
  expectType<boolean>(change.isApplied(request))
  const migrated = app.apiVersions.migrateResponse(Person, { firstName: 'a', lastName: 'b' }, '2023-01-01')
  expectType<unknown>(migrated)
  return migrated
})
expectAssignable<ApiVersionError>(new ApiVersionMigrationFailedError())
