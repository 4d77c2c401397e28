#include "terminalprinter.h"

#include "events/eventtext.h"

#include <QDateTime>

namespace breakwater {

TerminalPrinter::TerminalPrinter(EventLevel minimum, std::FILE* out)
    : m_minimum(minimum)
    , m_out(out)
{}

void TerminalPrinter::consume(std::span<const Event> events)
{
    for (const Event& e : events) {
        if (e.level < m_minimum)
            continue;
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch())
                .count();
        const QString time =
            QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
        const QString line = time + QLatin1Char(' ') +
                             eventLevelName(e.level).toUpper().leftJustified(9) + describeEvent(e) +
                             QLatin1Char('\n');
        std::fputs(line.toUtf8().constData(), m_out);
    }
}

void TerminalPrinter::flush()
{
    std::fflush(m_out);
}

} // namespace breakwater
