#include <sqlite3.h>

// SQLITE_STATIC is a macro over a cast that Swift cannot import.
static inline sqlite3_destructor_type ringback_sqlite_static(void) {
    return SQLITE_STATIC;
}
