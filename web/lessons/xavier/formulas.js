// formulas.js — the TeX of every step of the Xavier derivation (d2l zh
// 4.8.2.2), one entry per row of the lesson's table.  tools/gen-math.mjs
// renders them with KaTeX to MathML at build time (web/gen/xavier-math.mjs),
// so the page needs no fonts, no CSS and no network: the browser draws MathML.
const n = 'n_\\mathrm{in}';
const m = 'n_\\mathrm{out}';

export const TEX = {
  model: `o_i = \\sum_{j=1}^{${n}} w_{ij}\\, x_j`,
  mean: `E[o_i] = \\sum_{j=1}^{${n}} E[w_{ij} x_j] = \\sum_{j=1}^{${n}} E[w_{ij}]\\,E[x_j] = 0`,
  varD2l: `\\operatorname{Var}[o_i] = E[o_i^2] - (E[o_i])^2 = \\sum_{j=1}^{${n}} E[w_{ij}^2]\\,E[x_j^2] = ${n}\\,\\sigma^2\\gamma^2`,
  varInd: `\\operatorname{Var}[o_i] = ${n}\\,\\sigma^2\\,E[x_j^2] = ${n}\\,\\sigma^2\\left(\\operatorname{Var}[x_j] + E[x_j]^2\\right)`,
  varDep: `\\operatorname{Var}[o_i] = ${n}\\,\\sigma^2 E[x_j^2] + ${n}(${n}-1)\\,\\rho_w\\,\\sigma^2\\left(\\rho_x\\operatorname{Var}[x_j] + E[x_j]^2\\right)`,
  xsq: `E[x_j^2] = \\operatorname{Var}[x_j] + E[x_j]^2;\\quad x_j = \\max(0, z_j):\\ E[x_j^2] = \\tfrac12 E[z_j^2]`,
  fwd: `${n}\\,\\sigma^2 = 1`,
  bwd: `\\operatorname{Var}\\!\\left[\\frac{\\partial L}{\\partial x_j}\\right] = \\sum_{i=1}^{${m}} E[w_{ij}^2]\\,E\\!\\left[\\left(\\frac{\\partial L}{\\partial o_i}\\right)^{\\!2}\\right] = ${m}\\,\\sigma^2\\delta^2 \\;\\Rightarrow\\; ${m}\\,\\sigma^2 = 1`,
  compromise: `\\tfrac12\\left(${n} + ${m}\\right)\\sigma^2 = 1 \\;\\Rightarrow\\; \\sigma = \\sqrt{\\frac{2}{${n} + ${m}}}`,
  uniform: `\\operatorname{Var}[U(-a, a)] = \\frac{a^2}{3} = \\sigma^2 \\;\\Rightarrow\\; a = \\sqrt{\\frac{6}{${n} + ${m}}}`,
};
