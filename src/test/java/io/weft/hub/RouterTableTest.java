package io.weft.hub;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which router branches a flow (source, type) can take, decided from the branch's condition text. */
class RouterTableTest {

    @Test
    void aBranchAppliesToItsTypesAndSourcesAndToAnyPayloadCondition() {
        assertTrue(RouterTable.applies("${header.type} == 'ProductionOrder' && ${variable.plant} == 'P1'", "erp", "ProductionOrder"));
        assertFalse(RouterTable.applies("${header.type} == 'ProductionOrder'", "erp", "PurchaseOrder"));
        assertTrue(RouterTable.applies("${header.type} in 'GoodsReceipt,SalesOrder'", "crm", "SalesOrder"));
        assertFalse(RouterTable.applies("${header.type} in 'GoodsReceipt,SalesOrder'", "crm", "ShipmentNotice"));
        assertTrue(RouterTable.applies("${header.type} == 'PurchaseOrder' && ${header.source} == 'erp'", "erp", "PurchaseOrder"));
        assertFalse(RouterTable.applies("${header.type} == 'PurchaseOrder' && ${header.source} == 'erp'", "crm", "PurchaseOrder"));
        assertTrue(RouterTable.applies("${variable.plant} == 'P2'", "mes", "ProductionPerformance"));
    }
}
