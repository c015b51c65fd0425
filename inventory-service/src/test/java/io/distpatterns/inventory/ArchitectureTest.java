package io.distpatterns.inventory;

import io.distpatterns.platform.test.ServiceArchitecture;

class ArchitectureTest extends ServiceArchitecture {

    @Override
    protected String servicePackage() {
        return "io.distpatterns.inventory";
    }
}
