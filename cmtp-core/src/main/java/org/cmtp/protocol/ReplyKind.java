package org.cmtp.protocol;

/**
 * The replies a client may get to a command, which it tells its {@link ReplyDecoder}
 * before the reply arrives: replies carry no type tag of their own beyond a leading u32,
 * whose meaning depends on the command.
 */
public enum ReplyKind {
    /** The banner, and OHAI, NOOP, HELP, OBAI: a text reply (or a signed status, see {@link ReplyDecoder}). */
    TEXT,
    /** KEYREQUEST: a key reply (leading u32 1) or a signed status (leading u32 0). */
    KEY_OR_STATUS,
    /**
     * KEYBIND: an address-bound key reply (leading u32 2) or a signed status (leading u32 0).
     * A version-1 key reply is refused: it would not say which question it answers.
     */
    BOUND_KEY_OR_STATUS,
    /** LOGIN: a signed status (leading u32 0) or an xzibit (any other leading u32, its version) and its signature. */
    XZIBIT_OR_STATUS,
    /** MAIL: a signed status. */
    STATUS;

    /** @return the kind of reply that answers {@code command} */
    public static ReplyKind forCommand(Command command) {
        if (command instanceof Command.KeyRequest) {
            return KEY_OR_STATUS;
        }
        if (command instanceof Command.KeyBind) {
            return BOUND_KEY_OR_STATUS;
        }
        if (command instanceof Command.Login) {
            return XZIBIT_OR_STATUS;
        }
        if (command instanceof Command.Mail) {
            return STATUS;
        }
        return TEXT;
    }
}
