// --import this file to load the scenarios with the k6 stand-ins (hooks.mjs).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
