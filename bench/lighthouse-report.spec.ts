import {
  keepLighthouseSection,
  type LighthousePageResult,
  meetsTarget,
  renderLighthouseSection,
  withLighthouseSection,
} from './lighthouse-report';

const page: LighthousePageResult = {
  page: 'inquiry form',
  path: '/s/demo-a-shop',
  performance: 94,
  accessibility: 100,
  bestPractices: 100,
  performanceRuns: [92, 94, 97],
  metrics: { fcp: 880.4, lcp: 1012, tbt: 120, cls: 0, speedIndex: 1300 },
  failedAudits: [],
};
const section = renderLighthouseSection({
  when: new Date('2026-12-05T10:00:00Z'),
  machine: 'AMD EPYC, 2 cores',
  lighthouseVersion: '12.2.3',
  userAgent: 'HeadlessChrome/156',
  runs: 3,
  pages: [
    page,
    { ...page, page: 'desk login', accessibility: 98, failedAudits: ['color-contrast'] },
  ],
});

describe('the Lighthouse section of docs/benchmarks.md', () => {
  it('should hold each page’s scores, its runs, the target and the audits that lost points', () => {
    expect(section).toContain(
      '| inquiry form (`/s/demo-a-shop`) | 94 (92, 94, 97) | 100 | 100 | 880 ms | 1,012 ms | 120 ms | 0.000 | yes |',
    );
    expect(section).toContain('| 98 | 100 |');
    expect(section).toContain('- desk login: color-contrast');
    expect(section).toContain(
      'Run: 2026-12-05T10:00:00.000Z, AMD EPYC, 2 cores; Lighthouse 12.2.3',
    );
  });

  it('should meet the target only with performance ≥ 90 and both others at 100', () => {
    expect(meetsTarget(page)).toBe(true);
    expect(meetsTarget({ ...page, performance: 89 })).toBe(false);
    expect(meetsTarget({ ...page, bestPractices: 99 })).toBe(false);
  });

  it('should replace its own section and leave the rest of the file alone', () => {
    const file = `# Benchmarks\n\nbench text\n\n${section.replace('94 (92', '50 (50')}\n\nafter\n`;
    const updated = withLighthouseSection(file, section);
    expect(updated).toBe(`# Benchmarks\n\nbench text\n\n${section}\n\nafter\n`);
    expect(withLighthouseSection('# Benchmarks\n', section)).toBe(`# Benchmarks\n\n${section}\n`);
  });

  it('should carry the section over when npm run bench regenerates the file', () => {
    const previous = `# old report\n\n${section}\n`;
    expect(keepLighthouseSection('# new report\n', previous)).toBe(`# new report\n\n${section}\n`);
    expect(keepLighthouseSection('# new report\n', '# no section\n')).toBe('# new report\n');
  });
});
