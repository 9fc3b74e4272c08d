import { InvalidOptionError } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { connectionFor } from './redis-connection';

describe('connectionFor', () => {
  it('reads host, port, database, credentials and TLS from the URL', () => {
    expect(connectionFor('redis://10.0.0.5:6380/2')).toEqual({
      host: '10.0.0.5',
      port: 6380,
      db: 2,
      maxRetriesPerRequest: null,
    });
    expect(connectionFor('rediss://me:p%40ss@cache.example:7000')).toEqual({
      host: 'cache.example',
      port: 7000,
      username: 'me',
      password: 'p@ss',
      tls: {},
      maxRetriesPerRequest: null,
    });
    expect(connectionFor('redis://localhost')).toMatchObject({ host: 'localhost', port: 6379 });
  });

  it('rejects what is not a Redis URL, saying what is expected', () => {
    expect(() => connectionFor('127.0.0.1:6379')).toThrow(InvalidOptionError);
    expect(() => connectionFor('localhost')).toThrow(/not a URL; expected redis:\/\/host:port/);
    expect(() => connectionFor('http://127.0.0.1:6379')).toThrow(/scheme http: is not supported/);
    expect(() => connectionFor('redis://127.0.0.1:6379/queue')).toThrow(/database number/);
  });
});
