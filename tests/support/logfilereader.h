#pragma once

#include "events/event.h"
#include "telemetry/loglineparser.h"

#include <QFile>

#include <vector>

namespace breakwater::test {

struct LogFile
{
    std::vector<Event> events;
    int unparsable = 0;
};

// Reads an app.log back line by line with the project's own parser.
inline LogFile readLogFile(const QString& path)
{
    LogFile log;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return log;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (line.trimmed().isEmpty())
            continue;
        if (auto event = parseLogLine(line))
            log.events.push_back(std::move(*event));
        else
            ++log.unparsable;
    }
    return log;
}

} // namespace breakwater::test
