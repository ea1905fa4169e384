import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.File;
import java.util.Arrays;
import java.util.Properties;

/**
 * A plain Java SE program that sends sealed CMTP mail with nothing but Jakarta Mail: Angus
 * Mail and cmtp-mail-all.jar on the class path (README, "Sending from Jakarta Mail
 * applications"; JakartaMailIT runs it exactly so).
 *
 * <pre>
 * java -cp angus-mail.jar:angus-activation.jar:jakarta.mail-api.jar:jakarta.activation-api.jar:cmtp-mail-all.jar \
 *      SendWithCmtp.java HOST PORT FROM TO FILE [SERVER-KEY-HEX]
 * </pre>
 */
public class SendWithCmtp {

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: SendWithCmtp HOST PORT FROM TO FILE [SERVER-KEY-HEX]");
            System.exit(2);
        }
        Properties properties = new Properties();
        properties.put("mail.transport.protocol.rfc822", "cmtp"); // Transport.send(message) speaks CMTP
        properties.put("mail.cmtp.host", args[0]);
        properties.put("mail.cmtp.port", args[1]);
        if (args.length > 5) {
            properties.put("mail.cmtp.serverkey", args[5]); // else: trust on first use
        }
        Session session = Session.getInstance(properties);

        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(args[2]));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(args[3]));
        message.setSubject("Sent from Java SE");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Hello from a plain Java program.");
        MimeBodyPart file = new MimeBodyPart();
        file.attachFile(new File(args[4]));
        message.setContent(new MimeMultipart(text, file));

        Transport.send(message); // a SendFailedException names every address not sent, and why
        System.out.println("sent to " + Arrays.toString(message.getAllRecipients()));
    }
}
