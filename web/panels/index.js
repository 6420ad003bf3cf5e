// index.js — the panels of the lesson, in tab order.
import * as vanishing from './vanishing.js';

export const PANELS = [
  { id: 'vanishing', navKey: 'van.nav', schema: vanishing.schema, create: vanishing.createVanishing },
];
