//! DSN entries through the driver manager's SQLGetPrivateProfileString, resolved at run time
//! so one library serves unixODBC and iODBC without linking either installer library.

use std::ffi::{c_char, c_int, CStr, CString};
use std::sync::OnceLock;

// The build's own driver manager first: an application may have loaded neither installer
// library (iODBC's test tools link it statically), and the other one reads other files.
#[cfg(not(feature = "iodbc"))]
const INSTALLER_LIBS: [&CStr; 4] = [c"libodbcinst.so.2", c"libodbcinst.so", c"libiodbcinst.so.2", c"libiodbcinst.so"];
#[cfg(feature = "iodbc")]
const INSTALLER_LIBS: [&CStr; 5] = [
    c"libiodbcinst.so.2",
    c"libiodbcinst.so",
    c"libiodbcinst.2.dylib",
    c"/usr/local/iODBC/lib/libiodbcinst.2.dylib",
    c"libodbcinst.so.2",
];

type GetProfile = unsafe extern "C" fn(*const c_char, *const c_char, *const c_char, *mut c_char, c_int, *const c_char) -> c_int;

fn resolve() -> Option<GetProfile> {
    static F: OnceLock<Option<usize>> = OnceLock::new();
    let addr = *F.get_or_init(|| {
        let name = c"SQLGetPrivateProfileString";
        // SAFETY: dlsym/dlopen with valid NUL-terminated names; results are checked for NULL.
        unsafe {
            let p = libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr());
            if !p.is_null() {
                return Some(p as usize);
            }
            for lib in INSTALLER_LIBS {
                let h = libc::dlopen(lib.as_ptr(), libc::RTLD_LAZY | libc::RTLD_LOCAL);
                if !h.is_null() {
                    let p = libc::dlsym(h, name.as_ptr());
                    if !p.is_null() {
                        return Some(p as usize);
                    }
                }
            }
            None
        }
    });
    // SAFETY: the address is SQLGetPrivateProfileString, whose C signature is `GetProfile`.
    addr.map(|a| unsafe { std::mem::transmute::<usize, GetProfile>(a) })
}

fn call(f: GetProfile, section: &CStr, key: Option<&CStr>) -> Vec<u8> {
    let mut buf = vec![0u8; 8192];
    // SAFETY: valid C strings; `buf` has the length we pass.
    let n = unsafe {
        f(
            section.as_ptr(),
            key.map(|k| k.as_ptr()).unwrap_or(std::ptr::null()),
            c"".as_ptr(),
            buf.as_mut_ptr() as *mut c_char,
            buf.len() as c_int,
            c"odbc.ini".as_ptr(),
        )
    };
    buf.truncate(usize::try_from(n).unwrap_or(0).min(buf.len()));
    buf
}

/// Every key and value of the DSN's section in odbc.ini.
pub fn dsn_pairs(dsn: &str) -> Vec<(String, String)> {
    let (Some(f), Ok(section)) = (resolve(), CString::new(dsn)) else {
        return Vec::new();
    };
    let keys = call(f, &section, None);
    keys.split(|b| *b == 0)
        .filter(|k| !k.is_empty())
        .filter_map(|k| {
            let key = CString::new(k).ok()?;
            let v = call(f, &section, Some(&key));
            let v = v.split(|b| *b == 0).next().unwrap_or(&[]);
            Some((String::from_utf8_lossy(k).into_owned(), String::from_utf8_lossy(v).into_owned()))
        })
        .collect()
}
