//! Text encodings at the boundary: ANSI entry points speak UTF-8, wide ones SQLWCHAR
//! (UTF-16 under unixODBC; UTF-32 under iODBC with the `iodbc` feature).

#[cfg(not(feature = "iodbc"))]
pub type WChar = u16;
#[cfg(feature = "iodbc")]
pub type WChar = u32;

#[cfg(not(feature = "iodbc"))]
pub fn decode_wide(units: &[WChar]) -> String {
    String::from_utf16_lossy(units)
}
#[cfg(feature = "iodbc")]
pub fn decode_wide(units: &[WChar]) -> String {
    units.iter().map(|u| char::from_u32(*u).unwrap_or('\u{FFFD}')).collect()
}
