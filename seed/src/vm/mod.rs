//! The VM: the live world of a program and everything that runs in it (docs/vm-design.md).
//! Module bodies and blue code are evaluated from the AST; red functions are redshifted
//! by the same evaluator into shifted code (`ir`), which `run` executes. The files below
//! are listed leaves first: each one `use`s only files above it (checked by
//! seed/tests/imports.rs); the evaluator's parts are methods of `World` that call each
//! other through it.

// Plain data: ids and kinds of types, the builtins and their facts, values, shifted code.
pub mod builtins;
pub mod ir;
pub mod types;
pub mod value;
// Native operations on values.
pub mod ops;
// The world and the frame of an evaluation.
pub mod frame;
pub mod world;
// The evaluator, by concern.
pub mod attributes;
pub mod bodies;
pub mod calls;
pub mod containers;
pub mod expr;
pub mod memory;
pub mod names;
pub mod natives;
pub mod operators;
pub mod specials;
pub mod stmt;
// Red code: redshift, its optimisation and execution, and its printed forms.
pub mod colorize;
pub mod inline;
pub mod print;
pub mod redshift;
pub mod run;
