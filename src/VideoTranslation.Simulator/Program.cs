using VideoTranslation.Simulator;

return await SimulatorApp.RunAsync(args);

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
