package io.valv.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.quarkus.security.identity.SecurityIdentity;
import io.valv.crypto.Digests;
import io.valv.security.Caller;

/**
 * The package map of README.md as rules the build checks on the compiled classes (STYLE.md 16): features
 * depend on one another without cycles, the cross-cutting layers below them ({@code crypto}, {@code storage},
 * {@code security}, {@code web}, {@code time}) import no feature, and nothing depends on the dev-mode demo.
 * A feature that needs another's help without depending on it owns an interface the other implements
 * ({@code audit.ClientKeys}, {@code certificate.ReturnedData}, {@code dpa.ProcessorName}) or observes its event.
 */
class ArchitectureTest {

    static final String[] FEATURES = { "io.valv.audit..", "io.valv.client..", "io.valv.dpa..", "io.valv.job..",
            "io.valv.material..", "io.valv.purge..", "io.valv.certificate..", "io.valv.export..", "io.valv.portal..",
            "io.valv.workspace..", "io.valv.uploadlink..", "io.valv.incident..", "io.valv.notify..", "io.valv.dev.." };

    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.valv");

    @Test
    void featuresDependOnEachOtherWithoutCycles() {
        slices().matching("io.valv.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theCrossCuttingLayersImportNoFeature() {
        noClasses().that().resideInAnyPackage("io.valv.crypto..", "io.valv.storage..", "io.valv.security..",
                "io.valv.web..", "io.valv.time..").should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .check(MAIN);
    }

    /**
     * The audit log's proofs (hash chain, Merkle tree, checkpoint signatures, pseudonyms, the verifier) are pure
     * functions anyone can re-run offline: they know no database, no framework and nothing else of Valv's
     * but its digests.
     */
    @Test
    void theAuditProofsArePure() {
        DescribedPredicate<JavaClass> outside = resideInAnyPackage("io.valv..", "jakarta..", "io.quarkus..",
                "org.hibernate..").and(not(resideInAPackage("io.valv.audit.proof.."))).and(not(equivalentTo(Digests.class)));
        noClasses().that().resideInAPackage("io.valv.audit.proof..").should().dependOnClassesThat(outside).check(MAIN);
    }

    /**
     * A request's caller is built once, by {@code security.CurrentCaller}, from the verified identity; outside a
     * request only the portal's sign-in observer and the audit log's refusal drafts build one.
     */
    @Test
    void resourcesTakeTheirCallerFromCurrentCaller() {
        noClasses().that().doNotHaveFullyQualifiedName("io.valv.security.CurrentCaller")
                .and().doNotHaveFullyQualifiedName("io.valv.portal.PortalSignIns")
                .and().doNotHaveFullyQualifiedName("io.valv.audit.AuditLog")
                .should().callMethod(Caller.class, "of", SecurityIdentity.class).check(MAIN);
    }

    @Test
    void nothingDependsOnTheDemo() {
        noClasses().that().resideOutsideOfPackage("io.valv.dev..").should().dependOnClassesThat()
                .resideInAPackage("io.valv.dev..").check(MAIN);
    }

    @Test
    void theImportSeesTheWholeService() {
        // a rule over an empty import passes vacuously: make sure the classes are there
        org.junit.jupiter.api.Assertions.assertTrue(MAIN.size() > 150, "classes imported: " + MAIN.size());
    }
}
