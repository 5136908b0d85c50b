/**
 * `bumpscan/oracle`: independent reference implementations for cross-checks — shape densities and
 * integrals and the extended NLL in plain TypeScript, adaptive numerical integration.
 * @example
 * import { OracleNll, shapeDensity, shapeIntegral, adaptiveIntegral } from "bumpscan/oracle";
 */
export { OracleNll, shapeDensity, shapeIntegral } from "../core/oracle.js";
export { adaptiveIntegral } from "../core/quadrature.js";
