/** VA regression losses: tensor versions (autodiff on any backend) and a float64 reference with analytic gradients. */
export * from './va-loss.js';
export * from './reference.js';
