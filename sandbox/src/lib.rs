//! The in-memory ChatRace sandbox server (being built).
