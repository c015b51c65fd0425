package io.distpatterns.platform.test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformArchitectureRulesTest {

    private final JavaClasses fixtures = new ClassFileImporter().importPackages("io.distpatterns.archfixture");

    @Test
    void flagsDomainThatDependsOnItsWebPackage() {
        var result = PlatformArchitectureRules.domainIsFreeOfWebAndMessaging("io.distpatterns.archfixture.dirty")
                .evaluate(fixtures);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Price").contains("PriceController");
    }

    @Test
    void acceptsDomainWithoutTransportDependencies() {
        var result = PlatformArchitectureRules.domainIsFreeOfWebAndMessaging("io.distpatterns.archfixture.clean")
                .evaluate(fixtures);

        assertThat(result.hasViolation()).isFalse();
    }

    @Test
    void flagsServiceThatUsesAnotherServicesClasses() {
        var result = PlatformArchitectureRules.dependsOnNoOtherService("io.distpatterns.archfixture.dirty")
                .evaluate(fixtures);

        assertThat(result.getFailureReport().toString()).contains("ForeignService");
    }

    @Test
    void sharedLibrariesDependOnNoService() {
        JavaClasses shared = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PlatformArchitectureRules.SHARED);

        assertThat(shared).isNotEmpty();
        PlatformArchitectureRules.sharedLibrariesDependOnNoService().check(shared);
    }
}
