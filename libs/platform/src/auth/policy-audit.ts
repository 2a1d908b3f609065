import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { policyOf } from './allow.decorator.js';
import type { PolicyRole } from './roles.js';

// Where @nestjs/graphql's @Query/@Mutation/@Subscription record the operation they serve.
const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';
const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'] as const;

/**
 * Lists every root operation of the served schema with its access policy, and at start
 * logs each one that has none (the guard refuses those to everyone).
 */
@Injectable()
export class PolicyAudit implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** `Query.health` -> the roles its policy allows, or undefined when it has none. */
  policies(): Map<string, readonly PolicyRole[] | undefined> {
    const declared = new Map<string, readonly PolicyRole[] | undefined>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[method];
        if (typeof handler !== 'function') continue;
        const type = Reflect.getMetadata(RESOLVER_TYPE, handler) as string | undefined;
        if (!type || !(ROOT_TYPES as readonly string[]).includes(type)) continue;
        const name = (Reflect.getMetadata(RESOLVER_NAME, handler) as string | undefined) ?? method;
        declared.set(`${type}.${name}`, policyOf(handler, instance.constructor));
      }
    }
    const schema = this.schema();
    if (!schema) return declared;
    const served = new Map<string, readonly PolicyRole[] | undefined>();
    for (const root of [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ]) {
      for (const field of Object.keys(root?.getFields() ?? {})) {
        const operation = `${root?.name}.${field}`;
        served.set(operation, declared.get(operation));
      }
    }
    return served;
  }

  onApplicationBootstrap(): void {
    for (const [operation, allowed] of this.policies()) {
      if (!allowed) {
        this.logger.error(
          `${operation} has no access policy, so every call is refused: declare one with @Allow(...) (docs/security.md)`,
        );
      }
    }
  }

  private schema() {
    try {
      return this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    } catch {
      return undefined;
    }
  }
}
