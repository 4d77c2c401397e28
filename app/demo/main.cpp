// breakwater-demo: tells the circuit breaker's story in the terminal on the real clock.

#include "breakerstory.h"

#include <QCoreApplication>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("breakwater-demo"));
    breakwater::demo::BreakerStory story;
    QObject::connect(&story, &breakwater::demo::BreakerStory::finished, &app,
                     &QCoreApplication::exit);
    story.start();
    return QCoreApplication::exec();
}
