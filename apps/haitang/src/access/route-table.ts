import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE, type AccessRule } from '@haitang/auth';
import { API_PREFIX, UNPREFIXED_ROUTES } from '../http-prefix';

export interface RouteEntry {
  readonly method: string;
  readonly path: string;
  /** `Controller.method` for Nest routes; null for routes served by Fastify plugins (API docs, web pages). */
  readonly handler: string | null;
  /** The declared access rule; null when none was declared (the guard then refuses every call). */
  readonly rule: AccessRule | null;
}

const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter((p) => p !== '').join('/')}`;

/**
 * Every route the server answers, with its access rule: the Nest routes (found
 * as Nest finds them, from the controllers' metadata) and, recorded as Fastify
 * registered them, the routes of plugins (the API docs, static web pages),
 * which are public and must stay outside /api. The authorization matrix test
 * is generated from this table.
 */
@Injectable()
export class RouteTable {
  private fastifyRoutes: { method: string; url: string }[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** The routes Fastify registered (collected by an onRoute hook from before the first route). */
  recordFastifyRoutes(routes: { method: string; url: string }[]): void {
    this.fastifyRoutes = routes;
  }

  routes(): RouteEntry[] {
    const nest: RouteEntry[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const controllerPaths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, type) ?? '/');
      for (const name of this.scanner.getAllMethodNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name] as (...args: never[]) => unknown;
        const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (methodPath === undefined || requestMethod === undefined) continue;
        const rule: AccessRule | null = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, type]) ?? null;
        for (const controllerPath of controllerPaths) {
          for (const path of ([] as string[]).concat(methodPath)) {
            const local = join(controllerPath, path);
            const prefixed = UNPREFIXED_ROUTES.includes(local.slice(1)) ? local : join(API_PREFIX, local);
            nest.push({ method: RequestMethod[requestMethod], path: prefixed, handler: `${type.name}.${name}`, rule });
          }
        }
      }
    }
    const known = new Set(nest.map((r) => `${r.method} ${r.path}`));
    const plugins: RouteEntry[] = [];
    for (const { method, url } of this.fastifyRoutes) {
      if (method === 'HEAD' || known.has(`${method} ${url}`)) continue;
      known.add(`${method} ${url}`);
      // Outside /api only static content is served, to anyone; anything under /api must be a declared Nest route.
      plugins.push({ method, path: url, handler: null, rule: url.startsWith('/api/') ? null : { public: true } });
    }
    return [...nest, ...plugins].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}
