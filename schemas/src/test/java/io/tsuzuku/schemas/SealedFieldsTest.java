package io.tsuzuku.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sealed field opens for its reader, in its context, only; anything else is refused, never read as it is. */
class SealedFieldsTest {

  private final SealedFields.KeyPairText billing = SealedFields.KeyPairText.generate();
  private final SealedFields.KeyPairText status = SealedFields.KeyPairText.generate();
  private final String context = SealedFields.context(SealedFields.PAYMENT_METHOD_TOKEN, "org-1", "c-1");

  @Test
  void aValueSealedForAReaderOpensForItInItsContextAndShowsNothingOfItself() {
    var sealed = SealedFields.seal("tok_visa_4242", billing.publicKeyValue(), context);

    assertThat(sealed).startsWith("sealed.v1.").doesNotContain("tok_visa").doesNotContain("4242");
    assertThat(SealedFields.seal("tok_visa_4242", billing.publicKeyValue(), context)).as("a new key each time").isNotEqualTo(sealed);
    assertThat(new SealedFields.Opener(List.of(billing)).open(sealed, context)).isEqualTo("tok_visa_4242");
    assertThat(new SealedFields.Opener(List.of(billing)).open(SealedFields.seal("支援者 太郎", billing.publicKeyValue(), context), context))
        .isEqualTo("支援者 太郎");
  }

  @Test
  void anotherContextAnotherKeyPlainTextOrAnAlteredValueIsRefused() {
    var sealed = SealedFields.seal("tok_visa", billing.publicKeyValue(), context);
    var opener = new SealedFields.Opener(List.of(billing));

    for (var other : List.of(SealedFields.context(SealedFields.PAYMENT_METHOD_TOKEN, "org-2", "c-1"),
        SealedFields.context(SealedFields.PAYMENT_METHOD_TOKEN, "org-1", "c-2"), SealedFields.context(SealedFields.SUPPORTER_NAME, "org-1", "c-1"))) {
      assertThatThrownBy(() -> opener.open(sealed, other)).as(other).isInstanceOf(UnprocessableRecordException.class)
          .hasMessageContaining("does not open");
    }
    assertThatThrownBy(() -> new SealedFields.Opener(List.of(status)).open(sealed, context))
        .isInstanceOf(UnprocessableRecordException.class).hasMessageContaining("a key this service does not hold");
    assertThatThrownBy(() -> opener.open("tok_visa", context))
        .isInstanceOf(UnprocessableRecordException.class).hasMessageContaining("not a sealed value");
    var parts = sealed.split("\\.");
    var body = Base64.getUrlDecoder().decode(parts[4]);
    body[body.length - 1] ^= 1;
    var altered = String.join(".", parts[0], parts[1], parts[2], parts[3], Base64.getUrlEncoder().withoutPadding().encodeToString(body));
    assertThatThrownBy(() -> opener.open(altered, context)).isInstanceOf(UnprocessableRecordException.class);
    // a forged ephemeral key the JDK's parser fails on in its own way (an empty key), and one too short
    for (var ephemeral : List.of("MAowBQYDK2VuAwEA", "AAAA", "not base64 at all!")) {
      var forged = String.join(".", parts[0], parts[1], parts[2], ephemeral, parts[4]);
      assertThatThrownBy(() -> opener.open(forged, context)).as(ephemeral).isInstanceOf(UnprocessableRecordException.class);
    }
    assertThatThrownBy(() -> opener.open("sealed.v1.\u0000forged-key-id.a.b", context))
        .isInstanceOf(UnprocessableRecordException.class).hasMessage("a field is sealed for a key this service does not hold");
  }

  @Test
  void aKeyPairWhoseHalvesDoNotMatchOrAreNotKeysDoesNotStart() {
    var mismatched = new SealedFields.KeyPairText(billing.privateKey(), status.publicKey());
    assertThatThrownBy(() -> new SealedFields.Opener(List.of(mismatched))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whose public key is not its private key's");
    assertThatThrownBy(() -> SealedFields.Opener.of("tsuzuku.status.supporter-keys", "abc:def"))
        .isInstanceOf(IllegalArgumentException.class);
    var standardBase64 = new SealedFields.KeyPairText(
        Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(billing.privateKey())),
        Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(billing.publicKey())));
    assertThat(SealedFields.Opener.of("setting", " " + standardBase64.privateKey() + " : " + standardBase64.publicKey() + " ")
        .open(SealedFields.seal("tok", billing.publicKeyValue(), context), context)).isEqualTo("tok");
  }

  @Test
  void afterARotationTheReaderOpensValuesSealedForItsOldKeyToo() {
    var next = SealedFields.KeyPairText.generate();
    var before = SealedFields.seal("tok_old", billing.publicKeyValue(), context);
    var after = SealedFields.seal("tok_new", next.publicKeyValue(), context);

    var opener = SealedFields.Opener.of("tsuzuku.billing.payment-method-keys", next + ", " + billing);

    assertThat(opener.open(before, context)).isEqualTo("tok_old");
    assertThat(opener.open(after, context)).isEqualTo("tok_new");
    assertThatThrownBy(() -> SealedFields.Opener.of("tsuzuku.billing.payment-method-keys", " "))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tsuzuku.billing.payment-method-keys is not set");
  }

  @Test
  void aRegistrationIsSealedForItsReadersAndItsOtherFieldsStayAsTheyAre() {
    var registration = ContractRegistered.newBuilder()
        .setHeader(EventHeader.newBuilder().setEventId("e-1").setOrgId("org-1").setContractId("c-1").setOccurredAt(Instant.EPOCH).build())
        .setSupporter(Supporter.newBuilder().setSupporterId("s-1").setName("支援者").setEmail("s-1@example.org").build())
        .setAmountYen(3_000).setInterval(BillingInterval.MONTHLY).setAnchorDay(10).setFirstChargeOn(LocalDate.of(2030, 5, 10))
        .setAppliedOn(LocalDate.of(2030, 4, 1)).setCohort(Cohort.CURRENT).setPaymentMethodToken("tok_visa").build();

    var sealed = SealedFields.sealed(registration, billing.publicKeyValue(), status.publicKeyValue());

    assertThat(sealed.toString()).doesNotContain("tok_visa", "支援者", "s-1@example.org", "\"s-1\"");
    assertThat(new SealedFields.Opener(List.of(billing)).open(sealed.getPaymentMethodToken(), context)).isEqualTo("tok_visa");
    var statusOpener = new SealedFields.Opener(List.of(status));
    assertThat(statusOpener.open(sealed.getSupporter().getEmail(), SealedFields.context(SealedFields.SUPPORTER_EMAIL, "org-1", "c-1")))
        .isEqualTo("s-1@example.org");
    assertThat(statusOpener.open(sealed.getSupporter().getSupporterId(), SealedFields.context(SealedFields.SUPPORTER_ID, "org-1", "c-1")))
        .isEqualTo("s-1");
    assertThatThrownBy(() -> statusOpener.open(sealed.getPaymentMethodToken(), context)).as("the token is billing's only")
        .isInstanceOf(UnprocessableRecordException.class);
    // one key agreement per reader: the supporter's fields share an ephemeral key, the token has its own
    var ephemeral = sealed.getSupporter().getName().split("\\.")[3];
    assertThat(sealed.getSupporter().getEmail().split("\\.")[3]).isEqualTo(ephemeral);
    assertThat(sealed.getPaymentMethodToken().split("\\.")[3]).isNotEqualTo(ephemeral);
    assertThatThrownBy(() -> statusOpener.open(sealed.getSupporter().getName(), SealedFields.context(SealedFields.SUPPORTER_EMAIL, "org-1", "c-1")))
        .as("a field's context still binds it when the key is shared").isInstanceOf(UnprocessableRecordException.class);
    assertThat(sealed.getAmountYen()).isEqualTo(3_000);
    assertThat(sealed.getHeader()).isEqualTo(registration.getHeader());
  }

  @Test
  void aCardUpdateIsSealedForBillingBoundToTheContractItWasMadeFrom() {
    var update = PaymentMethodUpdated.newBuilder()
        .setHeader(EventHeader.newBuilder().setEventId("u-1").setOrgId("org-1").setContractId("c-1").setOccurredAt(Instant.EPOCH).build())
        .setPaymentMethodToken("tok_new").build();

    var sealed = SealedFields.sealed(update, billing.publicKeyValue());

    assertThat(sealed.toString()).doesNotContain("tok_new");
    var billingOpener = new SealedFields.Opener(List.of(billing));
    assertThat(billingOpener.open(sealed.getPaymentMethodToken(), context)).isEqualTo("tok_new");
    assertThatThrownBy(() -> billingOpener.open(sealed.getPaymentMethodToken(),
        SealedFields.context(SealedFields.PAYMENT_METHOD_TOKEN, "org-1", "c-2")))
        .as("bound to the contract it was made from").isInstanceOf(UnprocessableRecordException.class);
    assertThatThrownBy(() -> new SealedFields.Opener(List.of(status)).open(sealed.getPaymentMethodToken(), context))
        .as("the status-service passes it on unread").isInstanceOf(UnprocessableRecordException.class);
  }
}
