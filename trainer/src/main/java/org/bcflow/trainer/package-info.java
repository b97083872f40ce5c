/**
 * BinaryConnect training on ND4J and export to the integer network.
 *
 * <p>Entry points: {@link org.bcflow.trainer.Trainer#train} turns a data set and a
 * {@link org.bcflow.trainer.TrainConfig} into a {@link org.bcflow.trainer.FloatModel} (plain-Java
 * inference, the float reference); {@link org.bcflow.trainer.Exporter#toNetwork} folds it into
 * the {@link org.bcflow.core.Network} that the hardware computes;
 * {@link org.bcflow.trainer.Checkpoint#readModel} reads the model back from the checkpoint file a
 * run writes after every epoch. The method options (binarization, loss, optimizer, dropout, k-bit
 * activations, test mode) are {@link org.bcflow.trainer.TrainConfig.Method};
 * {@link org.bcflow.trainer.TrainArtifacts} writes the metrics CSV, plots and {@link org.bcflow.trainer.Npy}
 * weights; {@link org.bcflow.trainer.TrainBench} measures training speed against sgemm. The net
 * itself ({@code BinaryMlp}) is package-private.
 */
package org.bcflow.trainer;
