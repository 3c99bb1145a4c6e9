//! The ChatRace SDK runtime (being built).
