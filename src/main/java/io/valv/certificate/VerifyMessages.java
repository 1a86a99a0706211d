package io.valv.certificate;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The words of the public verify page, English; {@code messages/verify_sv.properties} is the Swedish. */
@MessageBundle(value = "verify", locale = "en")
public interface VerifyMessages {

    @Message("en")
    String lang_code();

    @Message("Language")
    String language_label();

    @Message("Verify a certificate of deletion")
    String title();

    @Message("Check that Valv issued a certificate of deletion and that your copy is the one it issued. Enter the certificate's id and the SHA-256 of the signed JSON or of the CMS file (.p7s) you hold. Nothing else about the certificate is shown.")
    String intro();

    @Message("Certificate id")
    String id_label();

    @Message("SHA-256 (64 hexadecimal characters)")
    String digest_label();

    @Message("For example: sha256sum certificate.p7s")
    String digest_hint();

    @Message("Verify")
    String submit();

    @Message("Valid")
    String valid_heading();

    @Message("Valv issued certificate {id} on {issued} for client {client}, and your document is the one it issued.")
    String valid(String id, String issued, String client);

    @Message("Not verified")
    String invalid_heading();

    @Message("Valv has not issued a certificate with this id and this SHA-256. Check both values; the SHA-256 must be of the signed JSON or of the CMS file (.p7s), not of the PDF.")
    String invalid();

    @Message("Too many requests")
    String limited_heading();

    @Message("This address has made too many verification requests. Wait a minute and try again.")
    String limited();

    @Message("Valv: certificates of deletion are signed; this page only confirms what the certificate itself states.")
    String footer();

    @Message("Its purge event, number {seq} of the audit log, is covered by the log's signed tree head of {coveredAt} ({treeSize} events): the client's admin can fetch the event's inclusion proof from Valv and check it offline.")
    String proof_covered(Long seq, String coveredAt, Long treeSize);

    @Message("Its purge event, number {seq} of the audit log, is not yet covered by a signed tree head (one is signed every few minutes); its inclusion proof can be fetched once it is.")
    String proof_pending(Long seq);
}
