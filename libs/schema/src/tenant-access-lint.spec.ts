import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPlanted } from '../../../test/support/planted-lint';

/**
 * The tenant-access rules of eslint.config.mjs on planted code: direct repository access to a
 * tenant-owned entity only in the scope files and the system paths, no database and no system
 * scope in controllers. A sibling of import-boundaries.spec.ts, with the same child-ESLint run.
 */
const ROOT = join(__dirname, '..', '..', '..');

const lintCases = (cases: [string, string][]) => lintPlanted(['no-restricted-syntax'], cases);

/** Entity classes with a merchant or ticket column: the tenant-owned rows. */
function tenantOwnedEntities(): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.entity.ts')) {
        const source = readFileSync(path, 'utf8');
        if (!/^\s*(merchantId|ticketId)[!?]?:/m.test(source)) continue;
        for (const match of source.matchAll(/^@Entity[\s\S]*?^export class (\w+)/gm)) {
          names.push(match[1]);
        }
      }
    }
  };
  walk(join(ROOT, 'libs'));
  return names.sort();
}

// Identities: read by the auth lib before a scope exists (see TENANT_ENTITIES).
const NOT_LISTED = ['User'];

const TENANT_ACCESS = /^no-restricted-syntax: Direct repository access to a tenant-owned entity/;
const NO_DATABASE = /^no-restricted-syntax: A controller does not touch the database/;
const NO_SYSTEM_SCOPE = /^no-restricted-syntax: A controller acts in the request's scope/;

const serviceCode = `
import { DataSource } from 'typeorm';
import { Ticket } from '@madoguchi/tickets';
import { Call } from '@madoguchi/calls';
import { AffectedListEntry } from '@madoguchi/incident-response';
export async function planted(dataSource: DataSource): Promise<unknown> {
  await dataSource.getRepository(Ticket).find();
  await dataSource.manager.findOneBy(Call, { id: 1 });
  return dataSource.manager.createQueryBuilder(AffectedListEntry, 'entry').getMany();
}
`;

describe('tenant-owned rows only through the scope (eslint.config.mjs)', () => {
  const entities = tenantOwnedEntities().filter((name) => !NOT_LISTED.includes(name));
  let outsideScope: string[];
  let inScopeFile: string[];
  let inSystemPath: string[];
  let notTenantOwned: string[];
  let inTest: string[];
  let injectedRepository: string[];
  let controllerDataSource: string[];
  let controllerSystemScope: string[];
  let controllerThroughService: string[];
  let everyEntity: string[][];

  beforeAll(() => {
    [
      outsideScope,
      inScopeFile,
      inSystemPath,
      notTenantOwned,
      inTest,
      injectedRepository,
      controllerDataSource,
      controllerSystemScope,
      controllerThroughService,
      ...everyEntity
    ] = lintCases([
      ['libs/reporting/src/planted.service.ts', serviceCode],
      ['libs/tickets/src/scope/scoped-ticket-query.ts', serviceCode],
      ['libs/jobs/src/planted.service.ts', serviceCode],
      [
        'libs/reporting/src/planted.service.ts',
        `import type { EntityManager } from 'typeorm';
import { CalendarClosure } from '@madoguchi/calendar';
export const planted = (manager: EntityManager) => manager.find(CalendarClosure);
`,
      ],
      ['test/e2e/planted.e2e-spec.ts', serviceCode],
      [
        'libs/reporting/src/planted.service.ts',
        `import { InjectRepository } from '@nestjs/typeorm';
import { Ticket } from '@madoguchi/tickets';
export class Planted {
  constructor(@InjectRepository(Ticket) readonly tickets: unknown) {}
}
`,
      ],
      [
        'apps/desk/src/portal/planted/planted.controller.ts',
        `import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Merchant } from '@madoguchi/tenancy';
@Controller('planted')
export class PlantedController {
  constructor(private readonly dataSource: DataSource) {}
  @Get()
  name() {
    return this.dataSource.manager.findOneBy(Merchant, { id: 1 });
  }
}
`,
      ],
      [
        'apps/desk/src/console/planted/planted.controller.ts',
        `import { Controller, Post } from '@nestjs/common';
import { systemScope } from '@madoguchi/common';
import { TicketWorkService } from '@madoguchi/tickets';
@Controller('planted')
export class PlantedController {
  constructor(private readonly work: TicketWorkService) {}
  @Post()
  reply() {
    return this.work.reply(systemScope('bulk-send'), 'X', { body: 'b' }, { userId: 1, ip: null });
  }
}
`,
      ],
      [
        'apps/desk/src/portal/planted/planted.controller.ts',
        `import { Controller, Get } from '@nestjs/common';
import type { TenantScope } from '@madoguchi/tenancy';
import { TicketSearchService } from '@madoguchi/tickets';
import { CurrentScope } from '../../auth';
@Controller('planted')
export class PlantedController {
  constructor(private readonly search: TicketSearchService) {}
  @Get()
  list(@CurrentScope() scope: TenantScope) {
    return this.search.search(scope, 'q', { userId: 1, ip: null });
  }
}
`,
      ],
      ...entities.map((name): [string, string] => [
        'libs/reporting/src/planted.service.ts',
        `import type { EntityManager } from 'typeorm';
export const planted = (manager: EntityManager) => manager.getRepository(${name});
`,
      ]),
    ]);
  }, 60_000);

  it('should report repository, manager and query-builder access outside the scope files', () => {
    expect(outsideScope).toEqual([
      expect.stringMatching(TENANT_ACCESS),
      expect.stringMatching(TENANT_ACCESS),
      expect.stringMatching(TENANT_ACCESS),
    ]);
    expect(injectedRepository).toEqual([expect.stringMatching(TENANT_ACCESS)]);
  });

  it('should pass the same code in a scope file, a system path and a test', () => {
    expect(inScopeFile).toEqual([]);
    expect(inSystemPath).toEqual([]);
    expect(inTest).toEqual([]);
  });

  it('should pass entities that no tenant owns', () => {
    expect(notTenantOwned).toEqual([]);
  });

  it('should report DataSource in a controller, and the tenant access it makes', () => {
    expect(controllerDataSource).toEqual([
      expect.stringMatching(NO_DATABASE),
      expect.stringMatching(TENANT_ACCESS),
    ]);
  });

  it("should report a job's system scope in a controller", () => {
    expect(controllerSystemScope).toEqual([expect.stringMatching(NO_SYSTEM_SCOPE)]);
  });

  it("should pass a controller that hands the request's scope to a service", () => {
    expect(controllerThroughService).toEqual([]);
  });

  it('should list every entity with a merchant or ticket column (TENANT_ENTITIES)', () => {
    expect(entities).toEqual(expect.arrayContaining(['Ticket', 'Message', 'Call', 'BulkSend']));
    const unlisted = entities.filter(
      (_name, i) => !everyEntity[i].some((message) => TENANT_ACCESS.test(message)),
    );
    expect(unlisted).toEqual([]);
  });

  it('should name only files that exist in its allow-lists (a renamed file is listed again)', () => {
    const configText = readFileSync(join(ROOT, 'eslint.config.mjs'), 'utf8');
    const listed = [...configText.matchAll(/^ {2}'((?:libs|apps)\/[^'*]+\.ts)',$/gm)].map(
      (match) => match[1],
    );
    expect(listed.length).toBeGreaterThan(10);
    expect(listed.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
