// index.js — the panels of the lesson, in tab order.
import * as vanishing from './vanishing.js';
import * as exploding from './exploding.js';
import * as init from './init.js';

export const PANELS = [
  { id: 'vanishing', navKey: 'van.nav', schema: vanishing.schema, create: vanishing.createVanishing },
  { id: 'exploding', navKey: 'exp.nav', schema: exploding.schema, create: exploding.createExploding },
  { id: 'init', navKey: 'ini.nav', schema: init.schema, create: init.createInit },
];
