/**
 * The CMTP message format (PROTOCOL.md §6, §7): {@link org.cmtp.message.Message} as sent
 * with MAIL and stored by servers, the {@link org.cmtp.message.PlaintextBody} and
 * {@link org.cmtp.message.Attachment}s that version 1 seals and version 0 sends in the
 * clear, and {@link org.cmtp.message.MailAddress} with the naming rules servers rely on.
 *
 * <p>The wire form is canonical (exact lengths, strict UTF-8, NUL padding checked), so
 * a message that decodes re-encodes to exactly the bytes received: servers hash and store
 * those bytes, and {@link org.cmtp.message.Message#appendLogLine} is the only change they
 * make. Sealing and opening bodies and attachments is the crypto layer's job.
 */
package org.cmtp.message;
