//! cwrite (docs/spec/BACKEND.md §3): redshifted functions -> C99. One `.c`/`.h` pair per SPy
//! module whose functions the program uses, plus `spy_structdefs.h` with every struct
//! and pointer type. The output depends only on the program: declarations come in
//! creation order (type and function ids), never in hash-map order, and no path other
//! than the source paths as given (for run-time error locations) appears in it.
//!
//! The emitted code calls libspy (`libspy/include/spy.h`) for every builtin operation;
//! this module knows the C names and signatures, libspy knows the semantics.

mod builtins;
mod func;
pub mod names;
pub mod program;
mod writer;

use crate::source::FileId;
use crate::vm::types::{builtin_types as bt, FuncId, ModId};
use crate::vm::world::{VmResult, World};
use names::c_name;
use program::{list_builders, ModWriter, Program};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One generated file: its name in the build folder's `src/`, and its text.
pub struct CFile {
    pub name: String,
    pub text: String,
}

/// The whole program as C: `spy_structdefs.h`, then `<mod>.h` and `<mod>.c` for each
/// module with emitted functions, in the order modules were imported.
pub fn write_program(world: &World, entry: ModId, entry_file: FileId) -> VmResult<Vec<CFile>> {
    let main = world.main_func(entry)?;
    let mut program = Program::new(world, entry_file);
    let roots: Vec<FuncId> = main.into_iter().chain(argv_helpers(world, main)).collect();
    program.collect_reachable(&roots);
    let mut modules: BTreeMap<usize, ModWriter> = BTreeMap::new();
    for &f in &program.emitted.clone() {
        let idx = program.module_index(f);
        let name = world.modules[idx].name.clone();
        let module = modules.entry(idx).or_insert_with(|| ModWriter::new(name));
        func::write_function(&mut program, module, f)?;
    }
    let entry_idx = entry.0 as usize;
    let entry_name = world.modules[entry_idx].name.clone();
    let entry_module = modules.entry(entry_idx).or_insert_with(|| ModWriter::new(entry_name));
    write_c_main(&mut program, entry_module, main)?;
    for cell in 0..world.cells.len() {
        let fqn = &world.cells[cell].fqn;
        let Some(idx) = program.module_of_fqn(fqn) else { continue };
        if let Some(module) = modules.get_mut(&idx) {
            program.write_global(module, cell)?;
        }
    }
    let mut files = vec![CFile { name: "spy_structdefs.h".into(), text: program.structdefs()? }];
    let all: Vec<String> = modules.values().map(|m| m.name.clone()).collect();
    for module in modules.values() {
        files.push(CFile { name: format!("{}.h", module.name), text: module.header() });
        files.push(CFile { name: format!("{}.c", module.name), text: module.source(&all) });
    }
    Ok(files)
}

/// `main(argv: list[str])` needs the list's constructor and `append` at run time.
fn argv_helpers(world: &World, main: Option<FuncId>) -> Vec<FuncId> {
    let Some(main) = main else { return vec![] };
    match world.func(main).sig.params.first() {
        Some(&list) => list_builders(world, list).map(|(a, b)| vec![a, b]).unwrap_or_default(),
        None => vec![],
    }
}

/// The C `main`: initialise libspy, call the SPy `main` (with `argv` as a `list[str]`
/// when it takes one), flush, and return its status. Without a SPy `main`, the program
/// says so, as `spy0 FILE` does.
fn write_c_main(program: &mut Program, module: &mut ModWriter, main: Option<FuncId>) -> VmResult<()> {
    let world = program.world;
    // The root is given by the build (`-DSPY_PROGRAM_ROOT`, see cbuild.rs), not written
    // here: the C depends only on the sources, wherever they are.
    module.globals.push_str("#ifndef SPY_PROGRAM_ROOT\n#define SPY_PROGRAM_ROOT \"\"\n#endif\n");
    let mut out = String::from(
        "int main(int argc, char **argv) {\n    spy_program_root = SPY_PROGRAM_ROOT;\n    spy_init(argc, argv);\n",
    );
    let Some(main) = main else {
        out.push_str(
            "    (void)argc;\n    (void)argv;\n    spy___spy__$_stdout_write(&{});\n    spy_flush();\n    return 0;\n}\n",
        );
        let lit = module.literal(b"Cannot find function main()\n");
        module.funcs.push_str(&out.replace("{}", &lit));
        module.globals.push_str("const spy_Loc *spy_user_loc;\nconst spy_Loc *spy_main_loc;\n");
        return Ok(());
    };
    let func = world.func(main);
    let proto = func.proto_span.expect("main has a prototype");
    let file = world.sources.file(proto.file);
    let line = file.line_of(proto.start);
    let loc = module.loc(&program.source_name(proto.file), line, file.line_text(line));
    let _ = writeln!(out, "    spy_main_loc = &{loc};");
    let mut args = String::new();
    if let Some(&list) = func.sig.params.first() {
        let (new, append) = list_builders(world, list).expect("main's argv is a list[str]");
        let ty = program.c_type(list, proto)?;
        let _ = writeln!(out, "    {ty} args = {}(0);", c_name(&world.func(new).fqn));
        let _ = writeln!(out, "    for (int i = 0; i < argc; i++) {{");
        let _ = writeln!(out, "        {}(0, args, spy_argv(i));", c_name(&world.func(append).fqn));
        out.push_str("    }\n");
        args.push_str(", args");
    }
    let call = format!("{}(0{args})", c_name(&func.fqn));
    if func.sig.ret == bt::I32 {
        let _ = writeln!(out, "    int32_t status = {call};\n    spy_flush();\n    return (int)status;\n}}");
    } else {
        let _ = writeln!(out, "    {call};\n    spy_flush();\n    return 0;\n}}");
    }
    module.globals.push_str("const spy_Loc *spy_user_loc;\nconst spy_Loc *spy_main_loc;\n");
    module.funcs.push_str(&out);
    Ok(())
}
