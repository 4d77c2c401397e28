#pragma once

#include "breaker/breakerstate.h"

#include <QTest>

namespace breakwater {

// Readable failure messages: QCOMPARE finds these by argument-dependent lookup.
inline char* toString(BreakerState state)
{
    return QTest::toString(breakerStateName(state));
}

inline char* toString(TransitionReason reason)
{
    return QTest::toString(transitionReasonName(reason));
}

} // namespace breakwater
