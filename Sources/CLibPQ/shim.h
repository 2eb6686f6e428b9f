#include <libpq-fe.h>

// The PG_DIAG_ fields are character-literal macros, which Swift does not import.
static inline int ringback_pg_diag_sqlstate(void) {
    return PG_DIAG_SQLSTATE;
}

static inline int ringback_pg_diag_message_primary(void) {
    return PG_DIAG_MESSAGE_PRIMARY;
}
