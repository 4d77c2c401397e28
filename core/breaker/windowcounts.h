#pragma once

namespace breakwater {

// What a sliding window holds right now.
struct WindowCounts
{
    int calls = 0;
    int failures = 0;
    int slowCalls = 0;

    double failureRate() const noexcept { return calls ? 100.0 * failures / calls : 0.0; }
    double slowCallRate() const noexcept { return calls ? 100.0 * slowCalls / calls : 0.0; }
};

// One recorded call, as the windows see it.
struct CallSample
{
    bool failed = false;
    bool slow = false;
};

} // namespace breakwater
