//! The environment handle: ODBC version and pooling attributes.

use super::error::OdbcError;

pub const SQL_ATTR_ODBC_VERSION: i32 = 200;
pub const SQL_ATTR_CONNECTION_POOLING: i32 = 201;
pub const SQL_ATTR_CP_MATCH: i32 = 202;
pub const SQL_ATTR_OUTPUT_NTS: i32 = 10001;

#[derive(Debug)]
pub struct Env {
    pub odbc_version: i32,
    pub pooling: u32,
    pub cp_match: u32,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            odbc_version: 3,
            pooling: 0,
            cp_match: 0,
        }
    }
}

impl Env {
    pub fn set_attr(&mut self, attr: i32, value: isize) -> Result<(), OdbcError> {
        match attr {
            SQL_ATTR_ODBC_VERSION => self.odbc_version = value as i32,
            SQL_ATTR_CONNECTION_POOLING => self.pooling = value as u32,
            SQL_ATTR_CP_MATCH => self.cp_match = value as u32,
            SQL_ATTR_OUTPUT_NTS if value == 1 => {}
            SQL_ATTR_OUTPUT_NTS => return Err(OdbcError::NotImplemented("SQL_ATTR_OUTPUT_NTS = SQL_FALSE".into())),
            // unixODBC's private attributes (e.g. 65002/65003) are accepted and ignored.
            a if a >= 65000 => {}
            a => return Err(OdbcError::BadAttribute(a)),
        }
        Ok(())
    }

    pub fn get_attr(&self, attr: i32) -> Result<u32, OdbcError> {
        match attr {
            SQL_ATTR_ODBC_VERSION => Ok(self.odbc_version as u32),
            SQL_ATTR_CONNECTION_POOLING => Ok(self.pooling),
            SQL_ATTR_CP_MATCH => Ok(self.cp_match),
            SQL_ATTR_OUTPUT_NTS => Ok(1),
            a => Err(OdbcError::BadAttribute(a)),
        }
    }
}
