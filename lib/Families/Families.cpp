//===- Families.cpp - the registration list of the seq families -----------===//
//
// One line per primitive family: adding a primitive adds its folder under
// lib/Families and its line here (docs/extending.md).
//
//===----------------------------------------------------------------------===//
#include "seqc/Families/Families.h"

#include "lib/Families/DeltaRule/DeltaRule.h"
#include "lib/Families/LinearAttention/LinearAttention.h"
#include "lib/Families/LinearScan/LinearScan.h"
#include "lib/Families/Recurrence/Recurrence.h"
#include "lib/Families/Scan/Scan.h"
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"

void seqc::registerSeqFamilies(mlir::DialectRegistry &registry) {
  families::registerLinearScanFamily(registry);
  families::registerScanFamily(registry);
  families::registerRecurrenceFamily(registry);
  families::registerLinearAttentionFamily(registry);
  families::registerDeltaRuleFamily(registry);
  families::registerSoftmaxAttentionFamily(registry);
}
