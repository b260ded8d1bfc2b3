//! SQLGetFunctions: the functions this driver exports, by SQL_API_* id.

pub const SUPPORTED: &[u16] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, // ODBC 1-2 core; 6 = SQLColAttribute
    40, 41, 43, 44, 45, 47, 52, 53, 54, 58, 59, 60, 61, 62, 63, 65, 66, 67, 72, // SQLColumns … SQLBindParameter
    1001, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1014, 1016, 1017, 1018, 1019, 1020, 1021,
];

pub const SQL_API_ALL_FUNCTIONS: u16 = 0;
pub const SQL_API_ODBC3_ALL_FUNCTIONS: u16 = 999;
pub const ODBC3_ALL_FUNCTIONS_SIZE: usize = 250;

pub fn supported(id: u16) -> bool {
    SUPPORTED.contains(&id)
}

/// The SQL_API_ODBC3_ALL_FUNCTIONS bitmap.
pub fn odbc3_bitmap() -> [u16; ODBC3_ALL_FUNCTIONS_SIZE] {
    let mut m = [0u16; ODBC3_ALL_FUNCTIONS_SIZE];
    for id in SUPPORTED {
        m[usize::from(*id >> 4)] |= 1 << (id & 0xF);
    }
    m
}

/// The SQL_API_ALL_FUNCTIONS array (ODBC 2 ids below 100).
pub fn odbc2_array() -> [u16; 100] {
    let mut a = [0u16; 100];
    for id in SUPPORTED.iter().filter(|i| **i < 100) {
        a[usize::from(*id)] = 1;
    }
    a
}
