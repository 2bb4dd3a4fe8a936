import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue, formatPath } from '../../../harness/config/config-error.js';

describe('formatPath / formatIssue / ConfigError', () => {
  it('formats paths with dots and [index]', () => {
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath(['seed'])).toBe('seed');
    expect(formatPath(['methods', 1, 'factors'])).toBe('methods[1].factors');
    expect(formatPath(['tasks', 0, 'ratios', 2])).toBe('tasks[0].ratios[2]');
  });

  it('formats an issue as file:line:col: path: message, or source: path: message without a line', () => {
    expect(formatIssue({ source: 'a.yaml', line: 3, col: 5, path: ['seed'], message: 'bad' })).toBe(
      'a.yaml:3:5: seed: bad',
    );
    expect(formatIssue({ source: 'a.yaml', line: 3, path: ['seed'], message: 'bad' })).toBe('a.yaml:3:1: seed: bad');
    expect(formatIssue({ source: '--set seed=x', path: ['seed'], message: 'bad' })).toBe('--set seed=x: seed: bad');
  });

  it('counts the problems and lists each on its own line', () => {
    const one = new ConfigError([{ source: 'a.yaml', line: 1, col: 1, path: [], message: 'm' }]);
    expect(one.message).toBe('a.yaml:1:1: (top level): m');
    expect(one.name).toBe('ConfigError');
    expect(one).toBeInstanceOf(Error);
    const two = new ConfigError([
      { source: 'a.yaml', line: 1, col: 1, path: ['x'], message: 'm1' },
      { source: 'b.yaml', line: 2, col: 3, path: ['y'], message: 'm2' },
    ]);
    expect(two.message.split('\n')).toEqual([
      '2 problems in the config:',
      '  a.yaml:1:1: x: m1',
      '  b.yaml:2:3: y: m2',
    ]);
    expect(two.issues).toHaveLength(2);
  });
});
