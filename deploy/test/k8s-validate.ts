// Validates objects against the Kubernetes API schemas of kubernetes-models
// (with the prometheus-operator and cert-manager models for their objects).
import * as k8sModels from 'kubernetes-models';
import * as certManager from '@kubernetes-models/cert-manager';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import type { K8sObject } from './support.js';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: object): { validate(): void };
}

function isModelClass(v: unknown): v is ModelClass {
  return typeof v === 'function' && typeof (v as Partial<ModelClass>).apiVersion === 'string' &&
    typeof (v as Partial<ModelClass>).kind === 'string';
}

function collectModels(into: Map<string, ModelClass>, ns: unknown, depth: number): void {
  if (!ns || typeof ns !== 'object' || depth > 3) return;
  for (const v of Object.values(ns)) {
    if (isModelClass(v)) into.set(`${v.apiVersion}/${v.kind}`, v);
    else collectModels(into, v, depth + 1);
  }
}

const MODELS = new Map<string, ModelClass>();
collectModels(MODELS, k8sModels, 0);
collectModels(MODELS, prometheusOperator, 0);
collectModels(MODELS, certManager, 0);

/** Validates one object against its API schema; returns problems (empty: valid). */
export function validateObject(obj: K8sObject): string[] {
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const Model = MODELS.get(`${obj.apiVersion}/${obj.kind}`);
  if (!Model) return [`${where}: no schema for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    return [`${where}: ${(err as Error).message}`];
  }
}
