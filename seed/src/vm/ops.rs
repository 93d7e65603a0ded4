//! Native operations on values: the semantics of every `Builtin` (docs/spec/LANGUAGE.md §3,
//! §12, §13.1, with the decisions of §17): integers wrap, `//` and `%` follow Python,
//! shifts are defined for every count, floats print as Python's `repr`. libspy
//! implements the same functions in C; the two must agree bit for bit.

use super::builtins::{ArithOp, Builtin, CmpKind, MathFn};
use super::types::Prim;
use super::value::{FileHandle, Memory, RefValue, Value};
use crate::repr::{bytes_repr, complex_repr, float_repr, str_repr};
use std::rc::Rc;

/// A run-time error raised by a native operation: exception class name and message.
#[derive(Debug, Clone, PartialEq)]
pub struct OpError {
    pub kind: &'static str,
    pub message: String,
}

fn err<T>(kind: &'static str, message: impl Into<String>) -> Result<T, OpError> {
    Err(OpError { kind, message: message.into() })
}

pub type OpResult = Result<Value, OpError>;

/// Calls a native operation. Printing is done by the VM, which owns stdout.
pub fn call(op: Builtin, args: &[Value]) -> OpResult {
    match op {
        Builtin::Arith(a, p) => arith(a, p, &args[0], &args[1]),
        // The checks stay in the VM, as in debug C, but a zero divisor is a panic (§10.4).
        Builtin::Unchecked(a, p) => arith(a, p, &args[0], &args[1]).map_err(|e| match e.kind {
            "ZeroDivisionError" => OpError { kind: "PanicError", message: e.message },
            _ => e,
        }),
        Builtin::Ieee754Div(Prim::F32) => Ok(Value::F32(float_of(&args[0]) as f32 / float_of(&args[1]) as f32)),
        Builtin::Ieee754Div(_) => Ok(Value::F64(float_of(&args[0]) / float_of(&args[1]))),
        Builtin::Cmp(c, p) => Ok(Value::Bool(compare(c, p, &args[0], &args[1]))),
        Builtin::Neg(p) => neg(p, &args[0]),
        Builtin::Not => Ok(Value::Bool(!args[0].as_bool())),
        Builtin::Convert(from, to) => Ok(convert(from, to, &args[0])),
        Builtin::ParseInt(to) => parse_int(to, args[0].as_bytes()),
        Builtin::ParseComplex => parse_complex(args[0].as_bytes()),
        Builtin::ComplexReal | Builtin::ComplexImag => match args[0] {
            Value::Complex(re, im) => Ok(Value::F64(if op == Builtin::ComplexReal { re } else { im })),
            ref v => panic!("internal error: complex expected, got {v:?}"),
        },
        Builtin::StrCopyInto => str_copy_into(&args[0], args[1].as_i32(), args[2].as_bytes()),
        Builtin::StrFromBytes => str_from_bytes(&args[0], args[1].as_i32()),
        Builtin::ToStr(p) => Ok(Value::Str(Rc::from(to_str(p, &args[0]).into_bytes()))),
        Builtin::Repr(p) => Ok(Value::Str(Rc::from(repr(p, &args[0]).into_bytes()))),
        Builtin::StrAdd | Builtin::BytesAdd => {
            let mut out = args[0].as_bytes().to_vec();
            out.extend_from_slice(args[1].as_bytes());
            Ok(same_kind(&args[0], out))
        }
        Builtin::StrMul | Builtin::BytesMul => {
            let n = args[1].as_i32().max(0) as usize;
            Ok(same_kind(&args[0], args[0].as_bytes().repeat(n)))
        }
        Builtin::StrGetItem => {
            let s = args[0].as_bytes();
            match index(s.len(), args[1].as_i32()) {
                Some(i) => Ok(Value::Str(Rc::from(&s[i..i + 1]))),
                None => err("IndexError", "string index out of bound"),
            }
        }
        Builtin::BytesGetItem => {
            let b = args[0].as_bytes();
            match index(b.len(), args[1].as_i32()) {
                Some(i) => Ok(Value::U8(b[i])),
                None => err("PanicError", "ptr_getitem out of bounds"),
            }
        }
        Builtin::StrLen | Builtin::BytesLen => Ok(Value::I32(args[0].as_bytes().len() as i32)),
        Builtin::StrContains => Ok(Value::Bool(contains(args[0].as_bytes(), args[1].as_bytes()))),
        Builtin::Hash(p) => Ok(Value::I32(hash(p, &args[0]))),
        Builtin::IsCompiled => Ok(Value::Bool(false)),
        Builtin::Math(f) => math(f, float_of(&args[0]), args.get(1).map(float_of)),
        Builtin::Fopen => fopen(args[0].as_bytes(), args[1].as_bytes()),
        Builtin::Fread | Builtin::Freadline => {
            let mut f = file_of(&args[0]).borrow_mut();
            let limit = match op {
                Builtin::Fread if args[1].as_i32() >= 0 => Some(args[1].as_i32() as usize),
                _ => None,
            };
            Ok(Value::Str(Rc::from(f.read(limit, op == Builtin::Freadline))))
        }
        Builtin::Fwrite => {
            use std::io::Write;
            let mut f = file_of(&args[0]).borrow_mut();
            let written = f.unread().and_then(|()| match f.file.as_mut() {
                Some(file) => file.write_all(args[1].as_bytes()),
                None => Err(std::io::ErrorKind::Other.into()),
            });
            match written {
                Ok(()) => Ok(Value::None),
                Err(_) => err("OSError", "fwrite: write error"),
            }
        }
        // Writes go straight to the OS file: nothing to flush.
        Builtin::Fflush => Ok(Value::None),
        Builtin::Fclose => {
            *file_of(&args[0]).borrow_mut() = FileHandle::new(None);
            Ok(Value::None)
        }
        Builtin::Ftell => {
            use std::io::Seek;
            let mut f = file_of(&args[0]).borrow_mut();
            let ahead = (f.buf.len() - f.pos) as u64;
            let failed = || OpError { kind: "OSError", message: "ftell failed".into() };
            let at = f.file.as_mut().ok_or_else(failed)?.stream_position().map_err(|_| failed())?;
            Ok(Value::I32((at - ahead) as i32))
        }
        Builtin::Fseek => {
            use std::io::Seek;
            let mut f = file_of(&args[0]).borrow_mut();
            let (offset, whence) = (args[1].as_i32() as i64, args[2].as_i32());
            let failed = || OpError { kind: "OSError", message: "fseek failed".into() };
            f.unread().map_err(|_| failed())?;
            let to = match whence {
                0 if offset < 0 => return Err(failed()),
                0 => std::io::SeekFrom::Start(offset as u64),
                1 => std::io::SeekFrom::Current(offset),
                _ => std::io::SeekFrom::End(offset),
            };
            f.file.as_mut().ok_or_else(failed)?.seek(to).map_err(|_| failed())?;
            Ok(Value::None)
        }
        Builtin::TerminalSize(t) => {
            // No ioctl without a C library: the fallback size upstream uses without a
            // terminal, which is what tests and pipes see anyway (docs/spec/LANGUAGE.md §14.3).
            Ok(Value::Struct(Rc::new(super::value::StructValue {
                ty: t,
                fields: vec![Value::I32(80), Value::I32(24)],
            })))
        }
        Builtin::IsFile => {
            let path = String::from_utf8_lossy(args[0].as_bytes()).into_owned();
            Ok(Value::Bool(!path.contains('\0') && std::path::Path::new(&path).is_file()))
        }
        Builtin::Getenv => {
            let name = String::from_utf8_lossy(args[0].as_bytes()).into_owned();
            match std::env::var_os(&name).filter(|_| !name.contains('\0')) {
                Some(value) => Ok(Value::Str(Rc::from(value.as_encoded_bytes()))),
                None => Ok(args[1].clone()),
            }
        }
        Builtin::Isatty => {
            use std::io::IsTerminal;
            let fd = args[0].as_i32();
            // isatty(2) on a closed or invalid fd is false (EBADF); borrowing it for the
            // duration of the call is what C's isatty does.
            Ok(Value::Bool(fd >= 0 && unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }.is_terminal()))
        }
        Builtin::Freadall => Ok(Value::Str(Rc::from(file_of(&args[0]).borrow_mut().read(None, false)))),
        Builtin::Fileno => {
            use std::os::fd::AsRawFd;
            let f = file_of(&args[0]).borrow();
            Ok(Value::I32(f.file.as_ref().map_or(-1, |file| file.as_raw_fd())))
        }
        Builtin::TimeNow => {
            let now =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
            Ok(Value::F64(now))
        }
        Builtin::Sleep => {
            let secs = float_of(&args[0]);
            if secs > 0.0 && secs.is_finite() {
                std::thread::sleep(std::time::Duration::from_secs_f64(secs));
            }
            Ok(Value::None)
        }
        Builtin::StrSlice => {
            let s = args[0].as_bytes();
            let Value::Struct(slice) = &args[1] else { panic!("internal error: slice expected") };
            let f: Vec<i32> = slice.fields.iter().map(|v| v.as_i32()).collect();
            let opt = |v: i32, none: i32| (none == 0).then_some(v as i64);
            let (start, stop, step) = slice_indices(opt(f[0], f[1]), opt(f[2], f[3]), opt(f[4], f[5]), s.len() as i64)?;
            let mut out = Vec::new();
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                out.push(s[i as usize]);
                i += step;
            }
            Ok(Value::Str(Rc::from(out)))
        }
        Builtin::StrUpper => Ok(Value::Str(Rc::from(args[0].as_bytes().to_ascii_uppercase()))),
        Builtin::StrIsAscii => Ok(Value::Bool(args[0].as_bytes().is_ascii())),
        Builtin::StrIsSpace => {
            let s = args[0].as_bytes();
            Ok(Value::Bool(!s.is_empty() && s.iter().all(|b| is_space(*b))))
        }
        Builtin::StrReplace => {
            Ok(Value::Str(Rc::from(replace(args[0].as_bytes(), args[1].as_bytes(), args[2].as_bytes()))))
        }
        Builtin::StrFind | Builtin::StrCount => {
            let s = args[0].as_bytes();
            let sub = args[1].as_bytes();
            let len = s.len() as i64;
            let adjust = |i: i64| if i < 0 { (i + len).max(0) } else { i.min(len) };
            let start_raw = args[2].as_i32() as i64;
            let start = adjust(start_raw);
            let end = match &args[3] {
                Value::I32(e) => adjust(*e as i64),
                _ => len,
            };
            if op == Builtin::StrFind {
                // Python: find("") at start returns start, unless start is past the end.
                if start_raw > len || (start_raw >= 0 && start > len) {
                    return Ok(Value::I32(-1));
                }
                if start > end {
                    return Ok(Value::I32(-1));
                }
                let hay = &s[start as usize..end as usize];
                let found = if sub.is_empty() { Some(0) } else { hay.windows(sub.len()).position(|w| w == sub) };
                return Ok(Value::I32(found.map_or(-1, |p| (p as i64 + start) as i32)));
            }
            if start > end {
                return Ok(Value::I32(0));
            }
            let hay = &s[start as usize..end as usize];
            if sub.is_empty() {
                return Ok(Value::I32(hay.len() as i32 + 1));
            }
            // The occurrences are the separators of `split`, both non-overlapping from the left.
            Ok(Value::I32(split_on(hay, sub)?.len() as i32 - 1))
        }
        Builtin::StrEncode | Builtin::BytesDecode => {
            if args[1].as_bytes() != b"utf-8" {
                return err("ValueError", "only 'utf-8' encoding is supported");
            }
            let bytes = Rc::from(args[0].as_bytes());
            Ok(if op == Builtin::StrEncode { Value::Bytes(bytes) } else { Value::Str(bytes) })
        }
        Builtin::StrSplit(_) | Builtin::Mem(_) => panic!("internal error: run by the VM, which knows the types"),
        Builtin::IdentityEq => Ok(Value::Bool(args[0] == args[1])),
        Builtin::IdentityNe => Ok(Value::Bool(args[0] != args[1])),
        Builtin::OrdStr => match args[0].as_bytes().first() {
            Some(b) => Ok(Value::I32(*b as i32)),
            None => err("TypeError", "ord() expected a character, but string of length 0 found"),
        },
        Builtin::PtrLoad => {
            let (mem, idx) = item(&args[0], args[1].as_i32(), "ptr_getitem")?;
            let v = mem.borrow()[idx].clone();
            Ok(v)
        }
        Builtin::PtrRef => {
            let (mem, idx) = item(&args[0], args[1].as_i32(), "ptr_getitem")?;
            Ok(Value::Ref(Rc::new(RefValue { mem, index: idx as u32, path: vec![] })))
        }
        Builtin::PtrStore => {
            let (mem, idx) = item(&args[0], args[1].as_i32(), "ptr_store")?;
            mem.borrow_mut()[idx] = args[2].clone();
            Ok(Value::None)
        }
        Builtin::PtrFieldLoad(f) => {
            let (mem, idx) = item(&args[0], 0, "ptr_getfield")?;
            let v = field_at(&mem.borrow()[idx], &[f]);
            Ok(v)
        }
        Builtin::PtrFieldRef(f) => {
            let (mem, idx) = item(&args[0], 0, "ptr_getfield")?;
            Ok(Value::Ref(Rc::new(RefValue { mem, index: idx as u32, path: vec![f] })))
        }
        Builtin::PtrFieldStore(f) => {
            let (mem, idx) = item(&args[0], 0, "ptr_setfield")?;
            set_field_at(&mut mem.borrow_mut()[idx], &[f], args[1].clone());
            Ok(Value::None)
        }
        Builtin::RefFieldLoad(f) => {
            let r = as_ref(&args[0]);
            let v = field_at(&r.mem.borrow()[r.index as usize], &[&r.path[..], &[f]].concat());
            Ok(v)
        }
        Builtin::RefFieldRef(f) => {
            let r = as_ref(&args[0]);
            let path = [&r.path[..], &[f]].concat();
            Ok(Value::Ref(Rc::new(RefValue { mem: r.mem.clone(), index: r.index, path })))
        }
        Builtin::RefFieldStore(f) => {
            let r = as_ref(&args[0]);
            let path = [&r.path[..], &[f]].concat();
            set_field_at(&mut r.mem.borrow_mut()[r.index as usize], &path, args[1].clone());
            Ok(Value::None)
        }
        Builtin::RefLoad => {
            let r = as_ref(&args[0]);
            let v = field_at(&r.mem.borrow()[r.index as usize], &r.path);
            Ok(v)
        }
        Builtin::PtrEq | Builtin::PtrNe => {
            let (Value::Ptr(a), Value::Ptr(b)) = (&args[0], &args[1]) else {
                panic!("internal error: pointers expected")
            };
            Ok(Value::Bool((a.address() == b.address()) == (op == Builtin::PtrEq)))
        }
        Builtin::PtrToBool => match &args[0] {
            Value::Ptr(p) => Ok(Value::Bool(p.mem.is_some())),
            _ => panic!("internal error: pointer expected"),
        },
        Builtin::Alloc(_) | Builtin::DefaultRepr(_) => panic!("internal error: done by the VM, which knows the types"),
        Builtin::StdoutWrite | Builtin::StderrWrite | Builtin::Exit => {
            panic!("internal error: output is done by the VM")
        }
    }
}

fn file_of(v: &Value) -> &std::cell::RefCell<FileHandle> {
    match v {
        Value::File(f) => f,
        _ => panic!("internal error: file expected, got {v:?}"),
    }
}

/// `_fopen(path, mode)`: exactly one of `r`, `w`, `a`, optionally followed by `+`
/// (docs/spec/LANGUAGE.md §14.4), with C's `fopen` meaning.
fn fopen(path: &[u8], mode: &[u8]) -> OpResult {
    let valid = matches!(mode, [b'r' | b'w' | b'a'] | [b'r' | b'w' | b'a', b'+']);
    if !valid {
        return err("PanicError", "invalid mode for _fopen");
    }
    let path = String::from_utf8_lossy(path).into_owned();
    let plus = mode.len() == 2;
    let mut options = std::fs::OpenOptions::new();
    match mode[0] {
        b'r' => options.read(true).write(plus),
        b'w' => options.write(true).create(true).truncate(true).read(plus),
        _ => options.append(true).create(true).read(plus),
    };
    match options.open(&path) {
        Ok(file) => Ok(Value::File(Rc::new(std::cell::RefCell::new(FileHandle::new(Some(file)))))),
        Err(_) => err("OSError", "cannot open file"),
    }
}

/// `math.<f>(x[, y])` with Python's errors: `ValueError: math domain error` outside the
/// domain (§17 #20), `OverflowError: math range error` when a finite input overflows.
fn math(f: MathFn, x: f64, y: Option<f64>) -> OpResult {
    let domain = || err("ValueError", "math domain error");
    let r = match f {
        MathFn::Sqrt if x < 0.0 => return domain(),
        MathFn::Sqrt => x.sqrt(),
        MathFn::Log | MathFn::Log10 if x <= 0.0 => return domain(),
        MathFn::Log => x.ln(),
        MathFn::Log10 => x.log10(),
        MathFn::Acos | MathFn::Asin if !(-1.0..=1.0).contains(&x) => return domain(),
        MathFn::Acos => x.acos(),
        MathFn::Asin => x.asin(),
        MathFn::Cos | MathFn::Sin | MathFn::Tan if x.is_infinite() => return domain(),
        MathFn::Cos => x.cos(),
        MathFn::Sin => x.sin(),
        MathFn::Tan => x.tan(),
        MathFn::Atan => x.atan(),
        MathFn::Exp => x.exp(),
        MathFn::Ceil => x.ceil(),
        MathFn::Floor => x.floor(),
        MathFn::Fabs => x.abs(),
        MathFn::Atan2 => x.atan2(y.expect("atan2 has two arguments")),
        MathFn::Pow => {
            let y = y.expect("pow has two arguments");
            if (x == 0.0 && y < 0.0) || (x < 0.0 && y.is_finite() && y.fract() != 0.0) {
                return domain();
            }
            x.powf(y)
        }
    };
    if r.is_infinite() && x.is_finite() && y.is_none_or(f64::is_finite) {
        return err("OverflowError", "math range error");
    }
    Ok(Value::F64(r))
}

/// CPython's `slice.indices` (docs/spec/LANGUAGE.md §13.6): missing parts are None.
pub fn slice_indices(
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    len: i64,
) -> Result<(i64, i64, i64), OpError> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return err("ValueError", "slice step cannot be zero");
    }
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let clamp = |i: i64| if i < 0 { (i + len).max(lower) } else { i.min(upper) };
    let start = start.map_or(if step < 0 { upper } else { lower }, clamp);
    let stop = stop.map_or(if step < 0 { lower } else { upper }, clamp);
    Ok((start, stop, step))
}

/// `str.replace`: every non-overlapping occurrence, left to right; an empty `old`
/// inserts `new` around every byte (docs/spec/LANGUAGE.md §13.1).
fn replace(s: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    if !old.is_empty() {
        return split_on(s, old).expect("internal error: old is not empty").join(new);
    }
    let mut out = Vec::with_capacity(s.len());
    for &b in s {
        out.extend_from_slice(new);
        out.push(b);
    }
    out.extend_from_slice(new);
    out
}

/// `str.split()`: runs of whitespace separate, and none are empty (§17 #7).
pub fn split_whitespace(s: &[u8]) -> Vec<Vec<u8>> {
    s.split(|b| is_space(*b)).filter(|part| !part.is_empty()).map(|p| p.to_vec()).collect()
}

/// `str.split(sep)`: Python's; an empty separator is `ValueError: empty separator` (§17 #8).
pub fn split_on(s: &[u8], sep: &[u8]) -> Result<Vec<Vec<u8>>, OpError> {
    if sep.is_empty() {
        return err("ValueError", "empty separator");
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= s.len() {
        if &s[i..i + sep.len()] == sep {
            parts.push(s[start..i].to_vec());
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(s[start..].to_vec());
    Ok(parts)
}

/// `unsafe._str_copy_into(dst, at, s)`: `dst[at:at + len(s)] = s`'s bytes, checked as
/// one range (a `PanicError` before any byte is written).
fn str_copy_into(dst: &Value, at: i32, bytes: &[u8]) -> OpResult {
    let (mem, start) = byte_range(dst, at, bytes.len(), "_str_copy_into")?;
    let mut items = mem.borrow_mut();
    for (k, &b) in bytes.iter().enumerate() {
        items[start + k] = Value::U8(b);
    }
    Ok(Value::None)
}

/// `unsafe._str_from_bytes(src, n)`: a new str of `src[0:n]`.
fn str_from_bytes(src: &Value, n: i32) -> OpResult {
    if n < 0 {
        return err("PanicError", "_str_from_bytes out of bounds");
    }
    let (mem, start) = byte_range(src, 0, n as usize, "_str_from_bytes")?;
    let items = mem.borrow();
    let bytes: Vec<u8> = items[start..start + n as usize]
        .iter()
        .map(|v| match v {
            Value::U8(b) => *b,
            _ => panic!("internal error: gc_ptr[u8] holds a non-u8"),
        })
        .collect();
    Ok(Value::Str(Rc::from(bytes)))
}

/// The memory and first index of the `n` items at `ptr[at:at + n]`, all in bounds
/// (for any item type, not only bytes).
fn byte_range(ptr: &Value, at: i32, n: usize, what: &str) -> Result<(Memory, usize), OpError> {
    let Value::Ptr(p) = ptr else { panic!("internal error: pointer expected, got {ptr:?}") };
    let Some(mem) = &p.mem else {
        return err("PanicError", "cannot dereference NULL pointer");
    };
    if at < 0 || at as u64 + n as u64 > p.len as u64 {
        return err("PanicError", format!("{what} out of bounds"));
    }
    Ok((mem.clone(), (p.offset + at as u32) as usize))
}

/// Python's `complex(s)` for a str (docs/spec/LANGUAGE.md §3.12): `<float>`, `<float>j`,
/// `<float><signed-float>j`, optionally in parentheses, with surrounding whitespace;
/// `_` only between digits; the imaginary part's number may be omitted (`j`, `-j`).
pub fn parse_complex(text: &[u8]) -> OpResult {
    let malformed = || err("ValueError", "complex() arg is a malformed string");
    let mut s = trim_ascii_space(text);
    if s.first() == Some(&b'(') {
        if s.last() != Some(&b')') || s.len() < 2 {
            return malformed();
        }
        s = trim_ascii_space(&s[1..s.len() - 1]);
    }
    let Some((first, rest)) = float_prefix(s) else {
        // Only `j`, `+j`, `-j` are numbers without digits.
        return match s {
            b"j" | b"J" | b"+j" | b"+J" => Ok(Value::Complex(0.0, 1.0)),
            b"-j" | b"-J" => Ok(Value::Complex(0.0, -1.0)),
            _ => malformed(),
        };
    };
    match rest {
        [] => Ok(Value::Complex(first, 0.0)),
        [b'j' | b'J'] => Ok(Value::Complex(0.0, first)),
        [b'+' | b'-', ..] => {
            let sign = if rest[0] == b'-' { -1.0 } else { 1.0 };
            let imag = match float_prefix(rest) {
                Some((v, [b'j' | b'J'])) => v,
                None if rest.len() == 2 && matches!(rest[1], b'j' | b'J') => sign,
                _ => return malformed(),
            };
            Ok(Value::Complex(first, imag))
        }
        _ => malformed(),
    }
}

fn trim_ascii_space(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !is_space(*b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !is_space(*b)).map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// The longest prefix of `s` that is a Python float (sign, digits with single `_`
/// between them, fraction, exponent, or `inf`/`infinity`/`nan`), and what follows it.
fn float_prefix(s: &[u8]) -> Option<(f64, &[u8])> {
    let mut i = 0;
    let mut text = String::new();
    if matches!(s.first(), Some(b'+' | b'-')) {
        text.push(s[0] as char);
        i = 1;
    }
    let lower: Vec<u8> = s[i..].iter().map(|b| b.to_ascii_lowercase()).collect();
    for word in ["infinity", "inf", "nan"] {
        if lower.starts_with(word.as_bytes()) {
            text.push_str(word);
            return Some((text.parse().ok()?, &s[i + word.len()..]));
        }
    }
    // Digits with `_` allowed only between two digits.
    let digits = |i: &mut usize, text: &mut String| -> usize {
        let mut count = 0;
        while *i < s.len() {
            match s[*i] {
                b'0'..=b'9' => text.push(s[*i] as char),
                b'_' if count > 0 && s.get(*i + 1).is_some_and(u8::is_ascii_digit) => {}
                _ => break,
            }
            if s[*i] != b'_' {
                count += 1;
            }
            *i += 1;
        }
        count
    };
    let mut n = digits(&mut i, &mut text);
    if s.get(i) == Some(&b'.') {
        text.push('.');
        i += 1;
        n += digits(&mut i, &mut text);
    }
    if n == 0 {
        return None;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        let mut exp = String::from("e");
        if matches!(s.get(j), Some(b'+' | b'-')) {
            exp.push(s[j] as char);
            j += 1;
        }
        if digits(&mut j, &mut exp) > 0 {
            text.push_str(&exp);
            i = j;
        }
    }
    Some((text.parse().ok()?, &s[i..]))
}

/// Item `i` of the memory a pointer points at, checked (docs/spec/LANGUAGE.md §10.2: every mode
/// checks bounds, with the debug C build's messages).
fn item(ptr: &Value, i: i32, what: &str) -> Result<(Memory, usize), OpError> {
    byte_range(ptr, i, 1, what)
}

fn as_ref(v: &Value) -> &RefValue {
    match v {
        Value::Ref(r) => r,
        _ => panic!("internal error: reference expected, got {v:?}"),
    }
}

/// The field at `path` inside a struct value.
fn field_at(v: &Value, path: &[u32]) -> Value {
    let mut cur = v;
    for &f in path {
        match cur {
            Value::Struct(s) => cur = &s.fields[f as usize],
            _ => panic!("internal error: field of a non-struct"),
        }
    }
    cur.clone()
}

/// Replaces the field at `path` inside a struct value, copying shared parts first.
fn set_field_at(v: &mut Value, path: &[u32], new: Value) {
    match path.split_first() {
        None => *v = new,
        Some((&f, rest)) => match v {
            Value::Struct(s) => set_field_at(&mut Rc::make_mut(s).fields[f as usize], rest, new),
            _ => panic!("internal error: field of a non-struct"),
        },
    }
}

fn same_kind(like: &Value, bytes: Vec<u8>) -> Value {
    match like {
        Value::Bytes(_) => Value::Bytes(Rc::from(bytes)),
        _ => Value::Str(Rc::from(bytes)),
    }
}

/// Python indexing: negative counts from the end.
fn index(len: usize, i: i32) -> Option<usize> {
    let i = if i < 0 { i as i64 + len as i64 } else { i as i64 };
    (0..len as i64).contains(&i).then_some(i as usize)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Integer operands as i128 (every SPy integer fits), and back with wrapping.
fn int_of(v: &Value) -> i128 {
    match *v {
        Value::I8(x) => x as i128,
        Value::U8(x) => x as i128,
        Value::I32(x) => x as i128,
        Value::U32(x) => x as i128,
        Value::I64(x) => x as i128,
        Value::U64(x) => x as i128,
        Value::Bool(x) => x as i128,
        _ => panic!("internal error: expected an integer, got {v:?}"),
    }
}

/// Wraps `x` into `p` (two's complement truncation, docs/spec/LANGUAGE.md §17 #2-3).
pub fn wrap(p: Prim, x: i128) -> Value {
    match p {
        Prim::I8 => Value::I8(x as i8),
        Prim::U8 => Value::U8(x as u8),
        Prim::I32 => Value::I32(x as i32),
        Prim::U32 => Value::U32(x as u32),
        Prim::I64 => Value::I64(x as i64),
        Prim::U64 => Value::U64(x as u64),
        _ => panic!("internal error: {p:?} is not an integer type"),
    }
}

fn float_of(v: &Value) -> f64 {
    match *v {
        Value::F64(x) => x,
        Value::F32(x) => x as f64,
        _ => int_of(v) as f64,
    }
}

fn arith(op: ArithOp, p: Prim, a: &Value, b: &Value) -> OpResult {
    if p.is_int() {
        return int_arith(op, p, int_of(a), int_of(b));
    }
    if p == Prim::Bool {
        let (x, y) = (a.as_bool(), b.as_bool());
        return Ok(Value::Bool(match op {
            ArithOp::And => x & y,
            ArithOp::Or => x | y,
            ArithOp::Xor => x ^ y,
            _ => panic!("internal error: bool {op:?}"),
        }));
    }
    if p == Prim::F32 {
        let (x, y) = (float_of(a) as f32, float_of(b) as f32);
        return Ok(match op {
            ArithOp::Add => Value::F32(x + y),
            ArithOp::Sub => Value::F32(x - y),
            ArithOp::Mul => Value::F32(x * y),
            ArithOp::Div if y == 0.0 => return err("ZeroDivisionError", "float division by zero"),
            ArithOp::Div => Value::F32(x / y),
            _ => Value::F32(match float_arith(op, x as f64, y as f64)? {
                Value::F64(r) => r as f32,
                other => panic!("internal error: {other:?}"),
            }),
        });
    }
    if p == Prim::Complex {
        return complex_arith(op, a, b);
    }
    float_arith(op, float_of(a), float_of(b))
}

fn int_arith(op: ArithOp, p: Prim, x: i128, y: i128) -> OpResult {
    let bits = p.bits();
    Ok(match op {
        ArithOp::Add => wrap(p, x + y),
        ArithOp::Sub => wrap(p, x - y),
        ArithOp::Mul => wrap(p, x.wrapping_mul(y)),
        ArithOp::Div if y == 0 => return err("ZeroDivisionError", "division by zero"),
        ArithOp::Div => Value::F64(x as f64 / y as f64),
        ArithOp::FloorDiv if y == 0 => return err("ZeroDivisionError", "integer division or modulo by zero"),
        ArithOp::FloorDiv => wrap(p, x.div_euclid(y) - if y < 0 && x.rem_euclid(y) != 0 { 1 } else { 0 }),
        ArithOp::Mod if y == 0 => return err("ZeroDivisionError", "integer modulo by zero"),
        ArithOp::Mod => {
            let r = x.rem_euclid(y);
            wrap(p, if y < 0 && r != 0 { r + y } else { r })
        }
        ArithOp::Pow if y < 0 && x == 0 => return err("ZeroDivisionError", "0 cannot be raised to a negative power"),
        ArithOp::Pow if y < 0 => return err("ValueError", "integer ** negative exponent"),
        ArithOp::Pow => {
            // Repeated squaring, wrapping at the type's width after every step.
            let mask = if bits == 64 { u64::MAX as u128 } else { (1u128 << bits) - 1 };
            let (mut base, mut exp, mut acc) = ((x as u128) & mask, y as u128, 1u128);
            while exp > 0 {
                if exp & 1 == 1 {
                    acc = acc.wrapping_mul(base) & mask;
                }
                base = base.wrapping_mul(base) & mask;
                exp >>= 1;
            }
            wrap(p, acc as i128)
        }
        ArithOp::LShift | ArithOp::RShift if y < 0 => return err("ValueError", "negative shift count"),
        ArithOp::LShift if y >= bits as i128 => wrap(p, 0),
        ArithOp::LShift => wrap(p, x << y),
        ArithOp::RShift if y >= bits as i128 => wrap(p, if x < 0 { -1 } else { 0 }),
        ArithOp::RShift => wrap(p, x >> y),
        ArithOp::And => wrap(p, x & y),
        ArithOp::Or => wrap(p, x | y),
        ArithOp::Xor => wrap(p, x ^ y),
    })
}

/// Python's float operators (Objects/floatobject.c), including `//` and `%` by divmod.
fn float_arith(op: ArithOp, x: f64, y: f64) -> OpResult {
    Ok(Value::F64(match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div if y == 0.0 => return err("ZeroDivisionError", "float division by zero"),
        ArithOp::Div => x / y,
        ArithOp::FloorDiv if y == 0.0 => return err("ZeroDivisionError", "float floor division by zero"),
        ArithOp::FloorDiv => float_divmod(x, y).0,
        ArithOp::Mod if y == 0.0 => return err("ZeroDivisionError", "float modulo by zero"),
        ArithOp::Mod => float_divmod(x, y).1,
        ArithOp::Pow if x == 0.0 && y < 0.0 => {
            return err("ZeroDivisionError", "0.0 cannot be raised to a negative power")
        }
        ArithOp::Pow if x < 0.0 && y.is_finite() && y.fract() != 0.0 => return err("ValueError", "math domain error"),
        ArithOp::Pow => x.powf(y),
        _ => panic!("internal error: float {op:?}"),
    }))
}

/// CPython's `float_divmod`: (floor quotient, modulo with the divisor's sign).
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

fn complex_of(v: &Value) -> (f64, f64) {
    match *v {
        Value::Complex(re, im) => (re, im),
        _ => (float_of(v), 0.0),
    }
}

fn complex_arith(op: ArithOp, a: &Value, b: &Value) -> OpResult {
    let ((a, b), (c, d)) = (complex_of(a), complex_of(b));
    Ok(match op {
        ArithOp::Add => Value::Complex(a + c, b + d),
        ArithOp::Sub => Value::Complex(a - c, b - d),
        ArithOp::Mul => Value::Complex(a * c - b * d, a * d + b * c),
        ArithOp::Div if c == 0.0 && d == 0.0 => return err("ZeroDivisionError", "complex division by zero"),
        ArithOp::Div => {
            let den = c * c + d * d;
            Value::Complex((a * c + b * d) / den, (b * c - a * d) / den)
        }
        _ => panic!("internal error: complex {op:?}"),
    })
}

pub(crate) fn compare(c: CmpKind, p: Prim, a: &Value, b: &Value) -> bool {
    let ord = match p {
        Prim::Str | Prim::Bytes => {
            let eq = a.as_bytes() == b.as_bytes();
            return if c == CmpKind::Eq { eq } else { !eq };
        }
        Prim::Complex => {
            let eq = complex_of(a) == complex_of(b);
            return if c == CmpKind::Eq { eq } else { !eq };
        }
        Prim::None => return c == CmpKind::Eq,
        _ if p.is_int() || p == Prim::Bool => Some(int_of(a).cmp(&int_of(b))),
        Prim::F32 => (float_of(a) as f32).partial_cmp(&(float_of(b) as f32)),
        _ => float_of(a).partial_cmp(&float_of(b)),
    };
    use std::cmp::Ordering::*;
    match (c, ord) {
        (CmpKind::Ne, None) => true,
        (_, None) => false,
        (CmpKind::Eq, Some(o)) => o == Equal,
        (CmpKind::Ne, Some(o)) => o != Equal,
        (CmpKind::Lt, Some(o)) => o == Less,
        (CmpKind::Le, Some(o)) => o != Greater,
        (CmpKind::Gt, Some(o)) => o == Greater,
        (CmpKind::Ge, Some(o)) => o != Less,
    }
}

fn neg(p: Prim, v: &Value) -> OpResult {
    Ok(match *v {
        Value::F64(x) => Value::F64(-x),
        Value::F32(x) => Value::F32(-x),
        Value::Complex(re, im) => Value::Complex(-re, -im),
        _ => wrap(p, -int_of(v)),
    })
}

/// The numeric conversions of docs/spec/LANGUAGE.md §3.11-3.12. Float to integer truncates toward
/// zero and saturates (NaN gives 0), which is what Rust's `as` does.
pub fn convert(from: Prim, to: Prim, v: &Value) -> Value {
    let _ = from;
    match to {
        Prim::F64 => match *v {
            Value::Complex(..) => panic!("internal error: complex to f64"),
            _ => Value::F64(float_of(v)),
        },
        Prim::F32 => Value::F32(float_of(v) as f32),
        Prim::Bool => Value::Bool(int_of(v) != 0),
        Prim::Complex => Value::Complex(float_of(v), 0.0),
        _ => match *v {
            Value::F64(x) => float_to_int(to, x),
            Value::F32(x) => float_to_int(to, x as f64),
            _ => wrap(to, int_of(v)),
        },
    }
}

fn float_to_int(to: Prim, x: f64) -> Value {
    match to {
        Prim::I8 => Value::I8(x as i8),
        Prim::U8 => Value::U8(x as u8),
        Prim::I32 => Value::I32(x as i32),
        Prim::U32 => Value::U32(x as u32),
        Prim::I64 => Value::I64(x as i64),
        Prim::U64 => Value::U64(x as u64),
        _ => panic!("internal error: {to:?} is not an integer type"),
    }
}

/// Python's whitespace for `int()`/`split()` over bytes (docs/spec/LANGUAGE.md §17 #5-7).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f)
}

/// `i32("42")`: Python's `int()` grammar (surrounding whitespace, a sign, `_` between
/// digits), then the type's range (docs/spec/LANGUAGE.md §3.12, §17 #5).
pub fn parse_int(to: Prim, text: &[u8]) -> OpResult {
    let invalid = || {
        let shown = String::from_utf8_lossy(text);
        err("ValueError", format!("invalid literal for int() with base 10: {}", str_repr(&shown)))
    };
    let trimmed = trim_ascii_space(text);
    let mut s = trimmed;
    let negative = s.first() == Some(&b'-');
    if matches!(s.first(), Some(b'-' | b'+')) {
        s = &s[1..];
    }
    if s.is_empty() || s[0] == b'_' || s[s.len() - 1] == b'_' {
        return invalid();
    }
    let mut value: i128 = 0;
    let mut prev_underscore = false;
    for &b in s {
        match b {
            b'0'..=b'9' => {
                value = value.saturating_mul(10).saturating_add((b - b'0') as i128);
                prev_underscore = false;
            }
            b'_' if !prev_underscore => prev_underscore = true,
            _ => return invalid(),
        }
    }
    if negative {
        value = -value;
    }
    let (min, max) = int_range(to);
    if value < min || value > max {
        let name = to.name();
        let shown = if value.unsigned_abs() > u64::MAX as u128 {
            String::from_utf8_lossy(trimmed).trim_start_matches('+').to_string()
        } else {
            value.to_string()
        };
        return err("OverflowError", format!("{name} value {shown} out of range [{min}, {max}]"));
    }
    Ok(wrap(to, value))
}

pub fn int_range(p: Prim) -> (i128, i128) {
    match p {
        Prim::I8 => (i8::MIN as i128, i8::MAX as i128),
        Prim::U8 => (0, u8::MAX as i128),
        Prim::I32 => (i32::MIN as i128, i32::MAX as i128),
        Prim::U32 => (0, u32::MAX as i128),
        Prim::I64 => (i64::MIN as i128, i64::MAX as i128),
        Prim::U64 => (0, u64::MAX as i128),
        _ => panic!("internal error: {p:?} is not an integer type"),
    }
}

/// `str(x)` for a primitive (docs/spec/LANGUAGE.md §3.13, §17 #1, #10-11).
pub fn to_str(p: Prim, v: &Value) -> String {
    match v {
        Value::F64(x) => float_repr(*x),
        Value::F32(x) => format_g(*x as f64, 7),
        Value::Complex(re, im) => complex_repr(*re, *im),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::None => "None".into(),
        Value::Str(s) => String::from_utf8_lossy(s).into_owned(),
        Value::Bytes(b) => bytes_repr(b),
        _ if p.is_int() => int_of(v).to_string(),
        _ => panic!("internal error: str() of {v:?}"),
    }
}

pub fn repr(p: Prim, v: &Value) -> String {
    match v {
        Value::Str(s) => str_repr(&String::from_utf8_lossy(s)),
        _ => to_str(p, v),
    }
}

/// C's `%.<digits>g` / Python's `format(x, '.7g')`: `digits` significant digits, trailing
/// zeros removed, scientific notation when the exponent is < -4 or >= `digits`.
pub fn format_g(x: f64, digits: usize) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{:.*e}", digits - 1, x);
    let (mantissa, exp) = sci.split_once('e').expect("internal error: exponent");
    let exp: i32 = exp.parse().expect("internal error: exponent");
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= digits as i32 {
        format!("{}e{}{:02}", trim(mantissa), if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (digits as i32 - 1 - exp).max(0) as usize;
        trim(&format!("{:.*}", decimals, x))
    }
}

/// `hash(x)` (docs/spec/LANGUAGE.md §12): integers truncated to 32 bits with -1 -> 2 for signed
/// types; str and bytes by FNV-1a with -1 -> -2 and 0 -> 1.
pub fn hash(p: Prim, v: &Value) -> i32 {
    match v {
        Value::Str(b) | Value::Bytes(b) => fnv1a(b),
        Value::Bool(x) => *x as i32,
        _ => match int_of(v) as i32 {
            -1 if p.is_signed() => 2,
            h => h,
        },
    }
}

pub fn fnv1a(bytes: &[u8]) -> i32 {
    let h = bytes.iter().fold(2166136261u32, |h, &b| (h ^ b as u32).wrapping_mul(16777619));
    match h as i32 {
        -1 => -2,
        0 => 1,
        x => x,
    }
}
