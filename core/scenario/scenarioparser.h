#pragma once

#include "scenario.h"

#include <QByteArray>

namespace breakwater {

struct ScenarioParse
{
    Scenario scenario;
    QString error; // "steps[3].inject: unknown fault mode \"x\""; empty when it parsed
};

ScenarioParse parseScenario(const QByteArray& json);
ScenarioParse loadScenarioFile(const QString& path);
// The seed system's story in six phases (resources/scenarios/seed.json, built in).
ScenarioParse seedScenario();

} // namespace breakwater
