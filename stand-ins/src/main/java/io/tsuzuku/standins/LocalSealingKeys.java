package io.tsuzuku.standins;

import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.schemas.SealedFields;

/**
 * The key pairs the local stack and the tests seal fields with, as the donation forms do in
 * production (docs/events.md, "Sealed fields"): published in this repository, so they protect
 * nothing, and no service falls back to them; a deployment makes its own
 * ({@link SealedFields.KeyPairText#generate}) and gives the public keys to the donation forms.
 */
public final class LocalSealingKeys {

  /** The billing-service's ({@code tsuzuku.billing.payment-method-keys}): it opens the payment-method tokens. */
  public static final String BILLING =
      "MC4CAQAwBQYDK2VuBCIEIOootuWbBBdfVrFA94skm5SI4XXOsx6RNbq9CYqNtgcx:MCowBQYDK2VuAyEAY-qwg3WvEcvPZRfZ4_7DPFPd3ZT7uie7kCPPd27TVGQ";

  /** The status-service's ({@code tsuzuku.status.supporter-keys}): it opens the supporters' names and e-mails. */
  public static final String STATUS =
      "MC4CAQAwBQYDK2VuBCIEIOwEYvkmAICO-VekIpy7TJgcgj2ZsR4udXWj828Diyp-:MCowBQYDK2VuAyEA5EcPA26pQa-zOCFWW98z15BEeEL_xAC06c6vOhQCPio";

  /**
   * The status-service's re-payment link key pair ({@code tsuzuku.status.repayment-link-key}); its
   * public half, {@link #REPAYMENT_LINK_PUBLIC}, is billing's {@code tsuzuku.billing.repayment-link-keys}.
   */
  public static final String REPAYMENT_LINK =
      "MC4CAQAwBQYDK2VwBCIEIALkopzp6efvXFsHlw2Vc6_T9oan4B6uLOKHrNpD91GE:MCowBQYDK2VwAyEAVuMoJ3NaCreLOtLtrd66La955hHkzlzAIf0FqEiHOqU";
  public static final String REPAYMENT_LINK_PUBLIC = REPAYMENT_LINK.substring(REPAYMENT_LINK.indexOf(':') + 1);

  private LocalSealingKeys() {}

  /** What the billing-service opens with its key pair. */
  public static SealedFields.Opener billing() {
    return SealedFields.Opener.of("billing", BILLING);
  }

  /** What the status-service opens with its key pair. */
  public static SealedFields.Opener status() {
    return SealedFields.Opener.of("status", STATUS);
  }

  /**
   * A sealed registration's fields opened, as its donation form wrote them: what a forger who
   * writes the intake topic holds, and seals again for another contract or organisation with the
   * published public keys.
   */
  public static ContractRegistered opened(ContractRegistered sealed) {
    var header = sealed.getHeader();
    var supporter = sealed.getSupporter();
    return ContractRegistered.newBuilder(sealed)
        .setPaymentMethodToken(billing().open(sealed.getPaymentMethodToken(),
            SealedFields.context(SealedFields.PAYMENT_METHOD_TOKEN, header.getOrgId(), header.getContractId())))
        .setSupporter(io.tsuzuku.events.Supporter.newBuilder(supporter)
            .setSupporterId(status().open(supporter.getSupporterId(), SealedFields.context(SealedFields.SUPPORTER_ID, header.getOrgId(), header.getContractId())))
            .setName(status().open(supporter.getName(), SealedFields.context(SealedFields.SUPPORTER_NAME, header.getOrgId(), header.getContractId())))
            .setEmail(status().open(supporter.getEmail(), SealedFields.context(SealedFields.SUPPORTER_EMAIL, header.getOrgId(), header.getContractId())))
            .build())
        .build();
  }

  /** A registration as a donation form sends it: sealed for billing and the status-service with these keys. */
  public static ContractRegistered sealed(ContractRegistered registration) {
    return SealedFields.sealed(registration, SealedFields.KeyPairText.parse(BILLING).publicKeyValue(),
        SealedFields.KeyPairText.parse(STATUS).publicKeyValue());
  }

  /** A card update as the re-payment form sends it: its token sealed for billing with its key. */
  public static PaymentMethodUpdated sealed(PaymentMethodUpdated update) {
    return SealedFields.sealed(update, SealedFields.KeyPairText.parse(BILLING).publicKeyValue());
  }
}
