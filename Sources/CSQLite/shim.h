#include <sqlite3.h>

// SQLITE_STATIC is a macro over a cast that Swift cannot import.
static inline sqlite3_destructor_type ringback_sqlite_static(void) {
    return SQLITE_STATIC;
}

// sqlite3_config is C-variadic. Memory statistics make every SQLite allocation take a
// global mutex; Ringback never reads them. Must run before SQLite is initialized.
static inline int ringback_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
