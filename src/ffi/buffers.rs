//! The C-buffer readers and writers: the only place, besides the export stubs, that touches
//! application memory. Constructors are `unsafe` (the caller vouches for the pointer); the
//! methods are safe and never write past the declared length.

use std::ffi::c_void;

/// An application output buffer of `len` bytes (possibly NULL).
#[derive(Clone, Copy, Debug)]
pub struct CBuf {
    ptr: *mut u8,
    len: usize,
}

// Applications hand buffers across threads themselves; we only write during their calls.
unsafe impl Send for CBuf {}

impl CBuf {
    /// # Safety
    /// `ptr` is NULL or valid for writes of `len` bytes for as long as the value is used.
    pub unsafe fn new(ptr: *mut c_void, len: isize) -> CBuf {
        CBuf {
            ptr: ptr as *mut u8,
            len: usize::try_from(len).unwrap_or(0),
        }
    }
    pub const fn null() -> CBuf {
        CBuf {
            ptr: std::ptr::null_mut(),
            len: 0,
        }
    }
    pub fn is_null(&self) -> bool {
        self.ptr.is_null()
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The same buffer moved `offset` bytes on (block cursors, bind offsets); NULL stays NULL.
    pub fn offset(&self, offset: usize, len: usize) -> CBuf {
        if self.ptr.is_null() {
            return *self;
        }
        CBuf {
            ptr: self.ptr.wrapping_add(offset),
            len,
        }
    }
    /// Copies as much of `bytes` as fits; returns how many were written.
    pub fn write(&self, bytes: &[u8]) -> usize {
        if self.ptr.is_null() {
            return 0;
        }
        let n = bytes.len().min(self.len);
        // SAFETY: `new`'s contract: the buffer is valid for `len` bytes.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.ptr, n) };
        n
    }
    /// Writes a fixed-size value whatever `len` says: ODBC ignores BufferLength for
    /// fixed-length types.
    pub fn write_fixed(&self, bytes: &[u8]) {
        if self.ptr.is_null() {
            return;
        }
        // SAFETY: for fixed-size C types the application must provide room for the type.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.ptr, bytes.len()) };
    }
    /// Reads `n` bytes (input parameters, attribute values).
    pub fn read(&self, n: usize) -> Vec<u8> {
        if self.ptr.is_null() {
            return Vec::new();
        }
        // SAFETY: `new`'s contract.
        unsafe { std::slice::from_raw_parts(self.ptr, n.min(self.len)).to_vec() }
    }
    pub fn addr(&self) -> usize {
        self.ptr as usize
    }
}

/// An output integer of some width (SQLSMALLINT*, SQLINTEGER*, SQLLEN*…), possibly NULL.
#[derive(Clone, Copy, Debug)]
pub struct OutPtr<T: Copy> {
    ptr: *mut T,
}

unsafe impl<T: Copy> Send for OutPtr<T> {}

impl<T: Copy> OutPtr<T> {
    /// # Safety
    /// `ptr` is NULL or valid and aligned for a write of `T` while the value is used.
    pub unsafe fn new(ptr: *mut T) -> Self {
        OutPtr { ptr }
    }
    pub const fn null() -> Self {
        OutPtr { ptr: std::ptr::null_mut() }
    }
    pub fn is_null(&self) -> bool {
        self.ptr.is_null()
    }
    pub fn set(&self, v: T) {
        if !self.ptr.is_null() {
            // SAFETY: `new`'s contract; unaligned writes tolerated for bound arrays.
            unsafe { self.ptr.write_unaligned(v) };
        }
    }
    pub fn addr(&self) -> usize {
        self.ptr as usize
    }
    pub fn offset_bytes(&self, bytes: usize) -> Self {
        if self.ptr.is_null() {
            return *self;
        }
        OutPtr {
            ptr: (self.ptr as *mut u8).wrapping_add(bytes) as *mut T,
        }
    }
}

/// Reads an input string: `len` is a length in units, or SQL_NTS (-3).
///
/// # Safety
/// `ptr` is NULL or points to `len` units (or a NUL-terminated string for SQL_NTS).
pub unsafe fn read_narrow(ptr: *const u8, len: isize) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    let n = if len == -3 {
        libc::strlen(ptr as *const libc::c_char)
    } else {
        usize::try_from(len).ok()?
    };
    let bytes = std::slice::from_raw_parts(ptr, n);
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// Wide characters as the driver manager defines SQLWCHAR.
pub type WChar = super::text::WChar;

/// # Safety
/// As `read_narrow`, in SQLWCHAR units.
pub unsafe fn read_wide(ptr: *const WChar, len: isize) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    let n = if len == -3 {
        let mut i = 0;
        while *ptr.add(i) != 0 {
            i += 1;
        }
        i
    } else {
        usize::try_from(len).ok()?
    };
    Some(super::text::decode_wide(std::slice::from_raw_parts(ptr, n)))
}

/// An application input integer read at use time (SQL_ATTR_ROW_BIND_OFFSET_PTR).
#[derive(Clone, Copy, Debug)]
pub struct InPtr<T: Copy> {
    ptr: *const T,
}

unsafe impl<T: Copy> Send for InPtr<T> {}

impl<T: Copy> InPtr<T> {
    /// # Safety
    /// `ptr` is NULL or valid for reads of `T` for as long as the value is used.
    pub unsafe fn new(ptr: *const T) -> Self {
        InPtr { ptr }
    }
    pub const fn null() -> Self {
        InPtr { ptr: std::ptr::null() }
    }
    pub fn get(&self) -> Option<T> {
        // SAFETY: `new`'s contract.
        (!self.ptr.is_null()).then(|| unsafe { self.ptr.read_unaligned() })
    }
    pub fn addr(&self) -> usize {
        self.ptr as usize
    }
}

/// An application input buffer of a bound parameter, read at SQLExecute time. Its length is
/// what the StrLen_or_IndPtr says (or a NUL terminator), not a declared buffer size.
#[derive(Clone, Copy, Debug)]
pub struct InBuf {
    ptr: *const u8,
}

unsafe impl Send for InBuf {}

impl InBuf {
    /// # Safety
    /// `ptr` is NULL, or valid for the reads SQLBindParameter's contract promises (the stated
    /// length, the C type's size, or up to a NUL terminator) whenever the statement executes.
    pub unsafe fn new(ptr: *const c_void) -> InBuf {
        InBuf { ptr: ptr as *const u8 }
    }
    pub const fn null() -> InBuf {
        InBuf { ptr: std::ptr::null() }
    }
    pub fn is_null(&self) -> bool {
        self.ptr.is_null()
    }
    pub fn addr(&self) -> usize {
        self.ptr as usize
    }
    /// `n` bytes at `offset` (parameter arrays, bind offsets).
    pub fn bytes(&self, offset: usize, n: usize) -> Vec<u8> {
        if self.ptr.is_null() {
            return Vec::new();
        }
        // SAFETY: `new`'s contract.
        unsafe { std::slice::from_raw_parts(self.ptr.wrapping_add(offset), n).to_vec() }
    }
    /// Bytes up to the first all-zero unit of `unit` bytes (SQL_NTS strings).
    pub fn until_nul(&self, unit: usize) -> Vec<u8> {
        let mut out = Vec::new();
        if self.ptr.is_null() || unit == 0 {
            return out;
        }
        loop {
            // SAFETY: `new`'s contract: the string is NUL-terminated.
            let u = unsafe { std::slice::from_raw_parts(self.ptr.wrapping_add(out.len()), unit) };
            if u.iter().all(|b| *b == 0) {
                return out;
            }
            out.extend_from_slice(u);
        }
    }
}

/// A pointer-valued descriptor field as the application passed it (SQLSetDescField,
/// SQLSetDescRec, SQLCopyDesc); it becomes the typed pointer its field calls for.
#[derive(Clone, Copy, Debug)]
pub struct AppPtr {
    ptr: *mut c_void,
}

unsafe impl Send for AppPtr {}

impl AppPtr {
    /// # Safety
    /// `ptr` is NULL or valid for what the ODBC contract of the field it is set into requires
    /// (a data buffer of SQL_DESC_OCTET_LENGTH bytes, an SQLLEN, an SQLUSMALLINT array...).
    pub unsafe fn new(ptr: *mut c_void) -> AppPtr {
        AppPtr { ptr }
    }
    pub fn addr(&self) -> usize {
        self.ptr as usize
    }
    pub fn buf(&self, len: isize) -> CBuf {
        // SAFETY: `new`'s contract for SQL_DESC_DATA_PTR.
        unsafe { CBuf::new(self.ptr, len) }
    }
    pub fn in_buf(&self) -> InBuf {
        // SAFETY: `new`'s contract for an APD's SQL_DESC_DATA_PTR.
        unsafe { InBuf::new(self.ptr) }
    }
    pub fn out<T: Copy>(&self) -> OutPtr<T> {
        // SAFETY: `new`'s contract for output pointer fields.
        unsafe { OutPtr::new(self.ptr as *mut T) }
    }
    pub fn input<T: Copy>(&self) -> InPtr<T> {
        // SAFETY: `new`'s contract for input pointer fields (bind offsets, APD indicators).
        unsafe { InPtr::new(self.ptr as *const T) }
    }
}
