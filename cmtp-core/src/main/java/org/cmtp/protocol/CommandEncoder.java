package org.cmtp.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.cmtp.wire.WireString;

/** Client side: turns a {@link Command} into the bytes to send (PROTOCOL.md §1). */
public final class CommandEncoder {

    private CommandEncoder() {
    }

    /** @return the command word, its {@code \0} and the parameters */
    public static byte[] encode(Command command) {
        int size = command instanceof Command.Mail mail ? mail.message().encodedLength() + 80 : 32;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        writeString(out, command.word().getBytes(StandardCharsets.US_ASCII));
        if (command instanceof Command.KeyRequest request) {
            writeString(out, WireString.encode("KEYREQUEST user", request.user()));
            if (!request.isForServer()) {
                writeString(out, WireString.encode("KEYREQUEST domain", request.domain()));
            }
        } else if (command instanceof Command.KeyBind request) {
            writeString(out, WireString.encode("KEYBIND user", request.user()));
            if (!request.isForServer()) {
                writeString(out, WireString.encode("KEYBIND domain", request.domain()));
            }
        } else if (command instanceof Command.Login login) {
            writeString(out, WireString.encode("LOGIN user", login.user()));
        } else if (command instanceof Command.Mail mail) {
            out.writeBytes(mail.rawMessage());
            out.writeBytes(mail.proofOfWork());
        }
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, byte[] string) {
        out.writeBytes(string);
        out.write(0);
    }
}
